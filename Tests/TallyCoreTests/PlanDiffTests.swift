import Foundation
import XCTest
@testable import TallyCore

/// What a plan file changes, in words: new records, changed fields, reported state left alone,
/// records the file leaves out kept.
final class PlanDiffTests: XCTestCase {
    private let plan2024 = { () -> PlanDocument in
        do { return try PlanFile.parse(PlanFixtures.plan2024, file: "plan-2024.json") } catch { preconditionFailure("\(error)") }
    }()

    func testReportedStateIsNotAChangeAndPlanFieldsAreSaidInWords() throws {
        var current = plan2024
        current.targets[0].currentFigure = 2
        current.targets[0].version = 3
        current.projects[0].stage = .completed
        current.projects[0].investmentCompleted = 10
        var proposed = plan2024
        proposed.targets[1].targetFigure = 350
        proposed.targets[1].qualifier = "确保"
        let diff = try PlanDiff(current: current, departments: plan2024.departments, lines: plan2024.lines, proposed: proposed)
        XCTAssertEqual(diff.changes.map(\.words),
                       ["change target 2024/marine-hitech/hq/hq-revenue: qualifier 力争 → 确保, target_figure 320 → 350"])
        XCTAssertEqual(diff.kept, [])
    }

    func testLeftOutRecordsAreKeptAndNamed() throws {
        var proposed = plan2024
        proposed.projects.removeLast()
        let diff = try PlanDiff(current: plan2024, departments: plan2024.departments, lines: plan2024.lines, proposed: proposed)
        XCTAssertEqual(diff.changes.count, 0)
        XCTAssertEqual(diff.kept, ["project p-2024-yinzhu-smart-factory is not in the file: kept (a plan never deletes)"])
    }

    func testANewCampaignAddsEverythingButTheKnownOrganisation() throws {
        let diff = try PlanDiff(current: nil, departments: plan2024.departments, lines: [], proposed: plan2024)
        XCTAssertEqual(diff.changes.filter { $0.entityType == "department" }.count, 0)
        XCTAssertEqual(diff.changes.filter { $0.entityType == "line" }.map(\.words),
                       ["add line marine-hitech/hq 总部引领", "add line yinzhu/industry 产业升级"])
        let target = try XCTUnwrap(diff.changes.first { $0.entityType == "target" })
        let entity = try XCTUnwrap(try JSONSerialization.jsonObject(with: target.entity) as? [String: Any])
        XCTAssertNil(entity["version"], "a new record has no version to check")
    }
}
