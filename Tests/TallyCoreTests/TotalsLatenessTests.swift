import Foundation
import XCTest
@testable import TallyCore

/// A department's late reports in the in-memory totals: made in time but delivered after the due
/// day (queued offline), told apart from reports made after it; counted once per request.
final class TotalsLatenessTests: XCTestCase {
    let calendar = CampaignCalendar()

    private func change(_ state: PlanState, _ sequence: Int64, request: String, period: String,
                        made: Date?, committed: Date) throws -> ChangeRecord {
        var record = try targetChange(state, sequence: sequence, id: "yinzhu/industry/specialized-smes",
                                      current: "\(sequence)", department: "yinzhu", at: committed)
        record.period = period
        record.requestId = request
        record.madeAt = made
        return record
    }

    func testLateDeliveryAndLateReportAreToldApartByWhenTheyWereMade() throws {
        var state = PlanState(plan: .default2023)
        let january31 = try XCTUnwrap(calendar.date(year: 2023, month: 1, day: 31, hour: 23, minute: 30))
        let february1 = try XCTUnwrap(calendar.date(year: 2023, month: 2, day: 1, hour: 9))
        let february7 = try XCTUnwrap(calendar.date(year: 2023, month: 2, day: 7))   // after January's due day
        // Queued on 31 January, delivered on 1 February: in time.
        try state.apply(change(state, 1, request: "a", period: "2023-01", made: january31, committed: february1))
        // Queued on 31 January, delivered on 7 February: a late delivery.
        try state.apply(change(state, 2, request: "b", period: "2023-01", made: january31, committed: february7))
        // January's report made on 7 February: a late report.
        try state.apply(change(state, 3, request: "c", period: "2023-01", made: nil, committed: february7))
        // A second change of request c counts once.
        try state.apply(change(state, 4, request: "c", period: "2023-01", made: nil, committed: february7))
        XCTAssertEqual(state.reports["yinzhu"]?.lateDeliveries, 1)
        XCTAssertEqual(state.reports["yinzhu"]?.lateReports, 1)
        XCTAssertEqual(state.reports["marine-hitech"]?.lateDeliveries ?? 0, 0)
    }
}
