import Foundation
import XCTest
@testable import TallyCore

/// Taking the state back before later changes (the heart of a dashboard as of a past date).
final class TotalsUndoTests: XCTestCase {
    let shengyuan = "p-shengyuan-liquid-protein"

    /// One project report that changed the stage and the investment: two log rows, one entity.
    private func projectWrite(_ state: PlanState, from sequence: Int64) throws -> [ChangeRecord] {
        var project = try XCTUnwrap(state.projects[shengyuan])
        let before = project
        project.stage = .completed
        project.investmentCompleted = 4
        project.version += 1
        let entity = try EntityJSON.encode(project)
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        return [
            ChangeRecord(sequence: sequence, committedAt: date, period: "2023-11", department: "marine-hitech", credential: "c",
                         kind: .project, subjectId: shengyuan, field: "stage", oldValue: before.stage.rawValue,
                         newValue: "completed", entity: entity),
            ChangeRecord(sequence: sequence + 1, committedAt: date, period: "2023-11", department: "marine-hitech", credential: "c",
                         kind: .project, subjectId: shengyuan, field: "investment_completed",
                         oldValue: before.investmentCompleted.exactString, newValue: "4", entity: entity),
        ]
    }

    func testEveryFieldOfTheEarliestLaterWriteIsTakenBack() throws {
        let seeded = PlanState(plan: .default2023)
        let changes = try projectWrite(seeded, from: 1)
        var now = seeded
        for change in changes { try now.apply(change) }
        XCTAssertEqual(now.projects[shengyuan]?.stage, .completed)
        var then = now
        then.undo(changes, previous: [:])
        XCTAssertEqual(then.projects[shengyuan], seeded.projects[shengyuan])
    }

    func testARecordCreatedLaterIsLeftOut() throws {
        var state = PlanState(plan: .default2023)
        var project = try XCTUnwrap(state.projects[shengyuan])
        project.id = "p-registered-later"
        state.projects[project.id] = project
        let registered = ChangeRecord(sequence: 1, committedAt: Date(), period: "2023-11", department: "marine-hitech",
                                      credential: "c", kind: .register, subjectId: project.id, field: "registered",
                                      entity: try EntityJSON.encode(project))
        state.undo([registered], previous: [:])
        XCTAssertNil(state.projects["p-registered-later"])
        XCTAssertNotNil(state.projects[shengyuan])
    }
}
