import Foundation
import TallyMessages
import XCTest
@testable import TallyCore

/// A 调度 request belongs to the campaign running when it was made: one left unanswered in 2023 is
/// an overdue request on 2023's warnings, not on 2024's.
final class TotalsDispatchCampaignTests: XCTestCase {
    let calendar = CampaignCalendar()

    private func date(_ year: Int, _ month: Int, _ day: Int) throws -> Date {
        try XCTUnwrap(calendar.date(year: year, month: month, day: day, hour: 9))
    }

    /// The 2023 plan, a 2024 campaign year beside it, and one unanswered request made in each.
    private func state() throws -> PlanState {
        var state = PlanState(plan: .default2023)
        state.periods["2024"] = PeriodRecord(code: "2024", kind: .year, startsAt: try date(2024, 1, 1),
                                             endsAt: try date(2025, 1, 1), dueAt: try date(2025, 1, 6))
        for (id, made, department) in [("D1", try date(2023, 6, 1), "marine-hitech"), ("D2", try date(2024, 3, 1), "yinzhu")] {
            state.dispatch.dispatches[id] = DispatchRecord(
                id: id, title: "报送 \(id)", dueAt: made.addingTimeInterval(7 * 86_400), createdAt: made,
                createdBy: "c-1", recipients: [.init(department: department)])
        }
        return state
    }

    private func overdue(in campaign: String, at instant: Date) throws -> [String] {
        let totals = LiveTotals(state: try state(), builder: DashboardBuilder(), pinnedNow: nil)
        let context = try XCTUnwrap(totals.insight(of: campaign, at: instant))
        return context.warnings().filter { $0.kind == .requestOverdue }.map(\.subjectID)
    }

    func testAnOverdueRequestWarnsOnlyInTheCampaignItWasMadeIn() throws {
        let instant = try date(2024, 6, 1)
        XCTAssertEqual(try overdue(in: "2024", at: instant), ["D2"])
        XCTAssertEqual(try overdue(in: "2023", at: instant), ["D1"])
    }

    func testARequestChangeCountsForItsOwnCampaign() throws {
        let state = try state()
        var change = ChangeRecord(sequence: 1, committedAt: try date(2024, 3, 1), period: "2024-03", department: nil,
                                  credential: nil, kind: .dispatch, subjectId: "D1", field: "dispatch", entity: "{}")
        XCTAssertEqual(state.campaign(of: change), "2023")
        change.subjectId = "D2"
        XCTAssertEqual(state.campaign(of: change), "2024")
        XCTAssertEqual(Set(state.restricted(to: "2023").dispatch.dispatches.keys), ["D1"])
    }
}
