import Foundation
@testable import TallyCore
import XCTest

/// The pure standing of 调度 requests at an instant: overdue pairs, counts per department.
final class DispatchStandingTests: XCTestCase {
    let calendar = CampaignCalendar()

    private func at(_ day: Int, _ hour: Int, _ minute: Int = 0) throws -> Date {
        try XCTUnwrap(calendar.date(year: 2023, month: 6, day: day, hour: hour, minute: minute))
    }

    private func dispatch(_ id: String, due: Date, closed: Date? = nil,
                          _ recipients: [DispatchRecord.Recipient]) throws -> DispatchRecord {
        DispatchRecord(id: id, title: "报送六月投资", dueAt: due, createdAt: try at(1, 9), createdBy: "c-1",
                       closedAt: closed, recipients: recipients)
    }

    func testADepartmentIsOverdueOnlyAfterTheDueTime() throws {
        let due = try at(12, 18)
        let request = try dispatch("D1", due: due, [.init(department: "yinzhu", answeredAt: try at(11, 9)),
                                                    .init(department: "marine-hitech")])
        let atDue = DispatchStanding(dispatches: [request], at: due)
        XCTAssertEqual(atDue.overdue, [])
        XCTAssertEqual(atDue.departments["marine-hitech"]?.open, 1)
        XCTAssertEqual(atDue.departments["yinzhu"]?.answeredOnTime, 1)

        let after = DispatchStanding(dispatches: [request], at: due.addingTimeInterval(1))
        XCTAssertEqual(after.overdue.map(\.department), ["marine-hitech"])
        XCTAssertTrue(after.isOverdue(dispatch: "D1", department: "marine-hitech"))
        XCTAssertFalse(after.isOverdue(dispatch: "D1", department: "yinzhu"))
        XCTAssertEqual(after.departments["marine-hitech"]?.overdue, 1)
        XCTAssertEqual(after.departments["marine-hitech"]?.open, 0)
    }

    func testALateAnswerCountsAsLateAndEndsTheOverdue() throws {
        let due = try at(12, 18)
        let request = try dispatch("D1", due: due, [.init(department: "marine-hitech", answeredAt: try at(13, 9))])
        let standing = DispatchStanding(dispatches: [request], at: try at(20, 0))
        XCTAssertEqual(standing.overdue, [])
        XCTAssertEqual(standing.departments["marine-hitech"]?.answeredLate, 1)
        XCTAssertEqual(standing.departments["marine-hitech"]?.answered, 1)
        XCTAssertEqual(DispatchStanding.state(of: request.recipients[0], in: request, at: try at(20, 0)), .answered(late: true))
    }

    func testClosingStopsTheClock() throws {
        let due = try at(12, 18)
        let closedEarly = try dispatch("D1", due: due, closed: try at(12, 9), [.init(department: "yinzhu")])
        let closedLate = try dispatch("D2", due: due, closed: try at(14, 9), [.init(department: "yinzhu")])
        let standing = DispatchStanding(dispatches: [closedEarly, closedLate], at: try at(30, 0))
        // Closed requests warn no more, but the one left unanswered past its due time stays on the record.
        XCTAssertEqual(standing.overdue, [])
        XCTAssertEqual(standing.departments["yinzhu"]?.overdue, 1)
        XCTAssertEqual(standing.departments["yinzhu"]?.open, 0)
        XCTAssertEqual(DispatchStanding.state(of: closedEarly.recipients[0], in: closedEarly, at: try at(30, 0)), .open)
    }

    func testOverduePairsAreOrderedByDueTime() throws {
        let early = try dispatch("D9", due: try at(5, 18), [.init(department: "yinzhu"), .init(department: "marine-hitech")])
        let late = try dispatch("D2", due: try at(8, 18), [.init(department: "yinzhu")])
        let standing = DispatchStanding(dispatches: [late, early], at: try at(10, 0))
        XCTAssertEqual(standing.overdue.map { "\($0.dispatch)/\($0.department)" },
                       ["D9/marine-hitech", "D9/yinzhu", "D2/yinzhu"])
        XCTAssertEqual(standing.departments["yinzhu"]?.overdue, 2)
    }
}
