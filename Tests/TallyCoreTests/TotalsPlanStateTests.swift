import Foundation
import XCTest
@testable import TallyCore

/// Applying committed changes to the in-memory state.
final class TotalsPlanStateTests: XCTestCase {
    let calendar = CampaignCalendar()

    func testApplyReplacesTheSubjectAndRecordsTheReport() throws {
        var state = PlanState(plan: .default2023)
        let date = try XCTUnwrap(calendar.date(year: 2023, month: 3, day: 31, hour: 23, minute: 59))
        let change = try targetChange(state, sequence: 1, id: "yinzhu/industry/fixed-asset-investment",
                                      current: "12.5", department: "yinzhu", at: date)
        try state.apply(change)
        XCTAssertEqual(state.sequence, 1)
        XCTAssertEqual(state.targets["yinzhu/industry/fixed-asset-investment"]?.currentFigure.exactString, "12.5")
        XCTAssertEqual(state.targets["yinzhu/industry/fixed-asset-investment"]?.version, 2)
        XCTAssertEqual(state.reportedPeriods(of: "yinzhu"), ["2023-03"])
        XCTAssertEqual(state.reports["yinzhu"]?.lastReportAt, date)
        XCTAssertEqual(state.reportedPeriods(of: "marine-hitech"), [])
    }

    func testAGapThrowsAndChangesNothing() throws {
        var state = PlanState(plan: .default2023)
        let date = try XCTUnwrap(calendar.date(year: 2023, month: 3, day: 1))
        let change = try targetChange(state, sequence: 2, id: "yinzhu/urban/old-compounds", current: "3",
                                      department: "yinzhu", at: date)
        let before = state
        XCTAssertThrowsError(try state.apply(change)) { error in
            XCTAssertEqual((error as? PlanStateError)?.code, .sequenceGap)
        }
        XCTAssertEqual(state, before)
        // A replay of an applied change is a gap too.
        try state.apply(try targetChange(state, sequence: 1, id: "yinzhu/urban/old-compounds", current: "3",
                                         department: "yinzhu", at: date))
        XCTAssertThrowsError(try state.apply(try targetChange(state, sequence: 1, id: "yinzhu/urban/old-compounds",
                                                              current: "4", department: "yinzhu", at: date)))
    }

    func testProjectRegisterAndPlanChanges() throws {
        var state = PlanState(plan: .default2023)
        let date = try XCTUnwrap(calendar.date(year: 2023, month: 5, day: 10))
        let registered = ProjectRecord(id: "p-new-hq", name: "新总部项目", leadDepartment: "marine-hitech", line: "marine-hitech/hq",
                                       batch: "marine-hitech/hq/hq-under-construction", plannedInvestment: Decimal(exact: "30"),
                                       stage: .underConstruction)
        try state.apply(ChangeRecord(sequence: 1, committedAt: date, period: "2023-05", department: "marine-hitech",
                                     credential: "c-2", kind: .register, subjectId: "p-new-hq", field: "project",
                                     entity: try EntityJSON.encode(registered)))
        XCTAssertEqual(state.projects["p-new-hq"], registered)
        var batch = try XCTUnwrap(state.batches["marine-hitech/hq/hq-under-construction"])
        batch.plannedCount = 7
        try state.apply(ChangeRecord(sequence: 2, committedAt: date, period: "2023-05", department: nil, credential: "admin",
                                     kind: .plan, subjectId: batch.id, field: "batch", entity: try EntityJSON.encode(batch)))
        XCTAssertEqual(state.batches[batch.id]?.plannedCount, 7)
        XCTAssertEqual(state.reportedPeriods(of: "marine-hitech"), ["2023-05"])
        // A wrong field or an entity that is not the subject is refused.
        XCTAssertThrowsError(try state.apply(ChangeRecord(sequence: 3, committedAt: date, period: "2023-05", department: nil,
                                                          credential: nil, kind: .plan, subjectId: batch.id, field: "nonsense",
                                                          entity: "{}")))
        XCTAssertThrowsError(try state.apply(ChangeRecord(sequence: 3, committedAt: date, period: "2023-05", department: nil,
                                                          credential: nil, kind: .plan, subjectId: "other", field: "batch",
                                                          entity: try EntityJSON.encode(batch))))
        XCTAssertEqual(state.sequence, 2)
    }

    func testEntityJSONFromTheDatabaseDecodes() throws {
        // The shape tally_project_json() produces: numerics as text, co_departments, null batch.
        let json = """
            {"id": "p-x", "line": "yinzhu/industry", "name": "某项目", "batch": null, "stage": "signed",
             "percent": "12.50", "version": 3, "sort_order": 0, "co_departments": ["marine-hitech"],
             "lead_department": "yinzhu", "planned_investment": null, "investment_completed": "0.35"}
            """
        let project = try EntityJSON.decode(ProjectRecord.self, from: json)
        XCTAssertEqual(project.percent.exactString, "12.5")
        XCTAssertEqual(project.investmentCompleted.exactString, "0.35")
        XCTAssertNil(project.batch)
        XCTAssertNil(project.plannedInvestment)
        XCTAssertEqual(project.coDepartments, ["marine-hitech"])
        XCTAssertEqual(project.stage, .signed)
        // Numbers must be strings: a JSON number would pass through Double.
        XCTAssertThrowsError(try EntityJSON.decode(ProjectRecord.self,
                                                   from: json.replacingOccurrences(of: "\"0.35\"", with: "0.35")))
        let target = try EntityJSON.decode(TargetRecord.self, from: """
            {"id": "t", "department": "yinzhu", "line": "yinzhu/industry", "name": "n", "unit": "亿元",
             "direction": "at_most", "target_figure": "190", "current_figure": "0.35", "period": "2023",
             "qualifier": "", "version": 1, "note": "", "sort_order": 2, "updated_at": "2023-11-27T02:00:00.5+00:00"}
            """)
        XCTAssertEqual(target.direction, .atMost)
        XCTAssertEqual(target.proto.targetFigure, "190")
        XCTAssertEqual(target.proto.currentFigure, "0.35")
        XCTAssertNotNil(target.updatedAt)
        // Records survive a trip through their own JSON and their protos.
        XCTAssertEqual(try EntityJSON.decode(TargetRecord.self, from: EntityJSON.encode(target)), target)
        XCTAssertEqual(ProjectRecord(proto: project.proto, sortOrder: 0)?.proto, project.proto)
        XCTAssertEqual(TargetRecord(proto: target.proto, sortOrder: 2)?.targetFigure, target.targetFigure)
    }
}
