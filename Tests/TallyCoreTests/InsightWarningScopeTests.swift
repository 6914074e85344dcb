import Foundation
import TallyMessages
import XCTest
@testable import TallyCore

/// After a write only the warnings it can move are checked again: those about the departments that
/// reported and the targets and projects they changed; a plan change can move any.
final class InsightWarningScopeTests: XCTestCase {
    private func change(_ kind: ChangeKind, _ subject: String, department: String?) -> ChangeRecord {
        ChangeRecord(sequence: 1, committedAt: Date(), period: "2023-11", department: department, credential: nil,
                     kind: kind, subjectId: subject, field: "current_figure", entity: "{}")
    }

    private func warning(_ kind: Tally_V1_WarningKind, subject: String, department: String) -> Tally_V1_Warning {
        var warning = Tally_V1_Warning()
        warning.kind = kind
        warning.subjectID = subject
        warning.department = department
        return warning
    }

    func testAReportCoversItsDepartmentTargetAndProjectOnly() throws {
        let scope = try XCTUnwrap(WarningScope([change(.target, "y/t", department: "yinzhu"),
                                                change(.project, "p-1", department: "yinzhu")]))
        XCTAssertTrue(scope.covers(warning(.noReport, subject: "yinzhu", department: "yinzhu")))
        XCTAssertFalse(scope.covers(warning(.noReport, subject: "marine-hitech", department: "marine-hitech")))
        XCTAssertTrue(scope.covers(warning(.redRunning, subject: "y/t", department: "yinzhu")))
        XCTAssertFalse(scope.covers(warning(.redRunning, subject: "y/other", department: "yinzhu")))
        XCTAssertTrue(scope.covers(warning(.stageStalled, subject: "p-1", department: "marine-hitech")))
        XCTAssertFalse(scope.covers(warning(.stageStalled, subject: "p-2", department: "yinzhu")))
        XCTAssertTrue(scope.covers(warning(.requestOverdue, subject: "r-1", department: "marine-hitech")))
    }

    func testAPlanChangeHasNoScope() {
        XCTAssertNil(WarningScope([change(.target, "y/t", department: "yinzhu"), change(.plan, "2023", department: nil)]))
    }

    func testAScopedEvaluationLooksOnlyAtItsSubjects() throws {
        let state = InsightFixtures.state(departments: ["a", "b"], targets: [
            InsightFixtures.target("a1", department: "a", figure: "100"),
            InsightFixtures.target("b1", department: "b", figure: "100"),
        ])
        let context = InsightContext(state: state, builder: DashboardBuilder(), instant: InsightFixtures.midYear)
        XCTAssertEqual(Set(context.warnings().map(\.key)),
                       ["no_report:a:2023-05", "no_report:b:2023-05", "red_running:a1:a", "red_running:b1:b"])
        let scope = try XCTUnwrap(WarningScope([change(.target, "a1", department: "a")]))
        XCTAssertEqual(Set(context.warnings(in: scope).map(\.key)), ["no_report:a:2023-05", "red_running:a1:a"])
    }
}
