import Foundation
import TallyMessages
import XCTest
@testable import TallyCore

/// The ranking (红黑榜) on made-up departments at mid-year (elapsed 50%, monthly reports due for
/// January to May): order by pace, then reports on time, then requests answered on time; ties share a rank.
final class InsightRankingTests: XCTestCase {
    /// a and d: completion 60 (pace +10), every report; b: completion 60, March's report missing;
    /// c: completion 30 (pace -20), every report.
    private func state() -> PlanState {
        var state = InsightFixtures.state(departments: ["a", "b", "c", "d"], targets: [
            InsightFixtures.target("a1", department: "a", figure: "100", current: "60"),
            InsightFixtures.target("b1", department: "b", figure: "100", current: "60"),
            InsightFixtures.target("c1", department: "c", figure: "100", current: "30"),
            InsightFixtures.target("d1", department: "d", figure: "50", current: "30"),
        ])
        let report = InsightFixtures.calendar.date(year: 2023, month: 6, day: 1)!
        for department in ["a", "b", "c", "d"] {
            for month in ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05"] where !(department == "b" && month == "2023-03") {
                state.recordReport(department: department, period: month, at: report)
            }
        }
        return state
    }

    private func ranking(dispatch: DispatchInputs = .none) throws -> Tally_V1_Ranking {
        try InsightContext(state: state(), builder: DashboardBuilder(), dispatch: dispatch,
                           instant: InsightFixtures.midYear).ranking(period: nil)
    }

    func testOrderTiesAndBoards() throws {
        let ranking = try ranking()
        XCTAssertEqual(ranking.period, "2023-07")
        XCTAssertEqual(ranking.elapsedPercent, "50")
        XCTAssertEqual(ranking.rows.map(\.department), ["a", "d", "b", "c"])
        XCTAssertEqual(ranking.rows.map(\.rank), [1, 1, 3, 4], "a and d are equal on every criterion")
        XCTAssertEqual(ranking.rows.map(\.pacePoints), ["10", "10", "10", "-20"])
        XCTAssertEqual(ranking.rows.map(\.reportsOnTime), [5, 5, 4, 5])
        XCTAssertEqual(ranking.rows.map(\.board), [.red, .red, .red, .black])
        XCTAssertFalse(ranking.rule.isEmpty)
    }

    func testTiedDepartmentsKeepTheirDisplayOrder() throws {
        // d comes after a in the plan's order, so it is listed second at the same rank.
        let rows = try ranking().rows.prefix(2)
        XCTAssertEqual(rows.map(\.department), ["a", "d"])
    }

    func testAnswersToRequestsBreakATie() throws {
        let dispatch = DispatchInputs(answers: ["a": .init(onTime: 1, late: 1), "d": .init(onTime: 2)])
        let ranking = try ranking(dispatch: dispatch)
        XCTAssertEqual(ranking.rows.map(\.department), ["d", "a", "b", "c"])
        XCTAssertEqual(ranking.rows.map(\.rank), [1, 2, 3, 4])
        XCTAssertEqual(ranking.rows.first { $0.department == "a" }?.requestsOnTime, 1)
        XCTAssertEqual(ranking.rows.first { $0.department == "a" }?.requestsDue, 2)
    }

    func testAnOverdueRequestPutsADepartmentOnTheBlackBoard() throws {
        let dispatch = DispatchInputs(answers: ["d": .init(overdue: 1)])
        let ranking = try ranking(dispatch: dispatch)
        XCTAssertEqual(ranking.rows.first { $0.department == "d" }?.board, .black)
        // Pace ties a, d and b; reports on time put b (4/5) last of them; requests then put d (0/1) after a.
        XCTAssertEqual(ranking.rows.map(\.department), ["a", "d", "b", "c"])
        XCTAssertEqual(ranking.rows.map(\.rank), [1, 2, 3, 4])
    }

    func testAFinishedMonthIsRankedAsItStoodAtItsEnd() throws {
        var state = state()
        // c reached 90 only in July: at the end of June it stood at 30.
        InsightFixtures.history(&state, target: "c1", [("2023-06", "30"), ("2023-07", "90")])
        state.targets["c1"]?.currentFigure = 90
        let august = try XCTUnwrap(InsightFixtures.calendar.date(year: 2023, month: 8, day: 10))
        let context = InsightContext(state: state, builder: DashboardBuilder(), instant: august)
        XCTAssertEqual(try context.ranking(period: "2023-06").rows.last?.department, "c")
        XCTAssertEqual(try context.ranking(period: "2023-08").rows.first?.department, "c")
        XCTAssertThrowsError(try context.ranking(period: "2023-09"))
        XCTAssertThrowsError(try context.ranking(period: "2024-01"))
    }
}
