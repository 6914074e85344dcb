import Foundation
import TallyMessages
import XCTest
@testable import TallyCore

/// A campaign that has ended shows its final state: finished, its last month, every target met or missed.
final class TotalsFinishedCampaignTests: XCTestCase {
    let builder = DashboardBuilder()
    let calendar = CampaignCalendar()

    private func date(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0) throws -> Date {
        try XCTUnwrap(calendar.date(year: year, month: month, day: day, hour: hour))
    }

    /// The 2023 plan with one target reached and one at-most target exceeded.
    private func state() throws -> PlanState {
        var state = PlanState(plan: .default2023)
        let id = "yinzhu/industry/fixed-asset-investment"
        var reached = try XCTUnwrap(state.targets[id])
        reached.currentFigure = reached.targetFigure
        state.targets[id] = reached
        return state
    }

    private func standings(_ dashboard: Tally_V1_Dashboard) -> Set<Tally_V1_Standing> {
        Set(dashboard.departments.flatMap { $0.targets.map(\.standing) })
    }

    func testAfterTheCampaignEveryTargetIsMetOrMissed() throws {
        let dashboard = builder.dashboard(try state(), at: try date(2026, 11, 30, 10))
        XCTAssertTrue(dashboard.finished)
        XCTAssertEqual(dashboard.campaign, "2023")
        XCTAssertEqual(dashboard.period, "2023-12", "the last month, not the month of the view's date")
        XCTAssertEqual(dashboard.elapsedPercent, "100")
        XCTAssertEqual(standings(dashboard), [.met, .missed])
        XCTAssertEqual(dashboard.overall.behind + dashboard.overall.amber + dashboard.overall.onTrack, 0)
        XCTAssertEqual(dashboard.overall.met + dashboard.overall.missed, dashboard.overall.total)
        XCTAssertEqual(dashboard.overall.met, 1)
        XCTAssertEqual(dashboard.overall.standing, .missed)
        XCTAssertEqual(Set(dashboard.notReported), ["marine-hitech", "yinzhu"], "nobody reported for 2023-12")
    }

    func testTheEndIsExclusiveInChinaStandardTime() throws {
        let last = builder.dashboard(try state(), at: try date(2023, 12, 31, 23))
        XCTAssertFalse(last.finished)
        XCTAssertEqual(last.period, "2023-12")
        XCTAssertTrue(standings(last).isDisjoint(with: [.missed]), "still running: behind, not missed")
        XCTAssertTrue(standings(last).contains(.behind))
        let first = builder.dashboard(try state(), at: try date(2024, 1, 1))
        XCTAssertTrue(first.finished)
        XCTAssertEqual(first.period, "2023-12")
    }

    func testARunningCampaignShowsThePaceAndItsMonth() throws {
        let dashboard = builder.dashboard(try state(), at: try date(2023, 6, 30, 12))
        XCTAssertFalse(dashboard.finished)
        XCTAssertEqual(dashboard.campaign, "2023")
        XCTAssertEqual(dashboard.period, "2023-06")
        XCTAssertEqual(dashboard.overall.missed, 0)
        XCTAssertFalse(standings(dashboard).contains(.missed))
    }

    func testAnExceededAtMostTargetIsMissedOnceItsPeriodEnds() throws {
        let target = TargetRecord(id: "t", department: "yinzhu", line: "yinzhu/industry", name: "t", unit: "起",
                                  direction: .atMost, targetFigure: 2, currentFigure: 3, period: "2023")
        let state = try state()
        XCTAssertEqual(builder.evaluate(target, in: state, at: try date(2023, 7, 1)).standing, .behind)
        XCTAssertEqual(builder.evaluate(target, in: state, at: try date(2024, 2, 1)).standing, .missed)
    }
}
