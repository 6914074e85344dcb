import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyServerTestSupport
import TallyWire
import XCTest

/// 调度 requests through the client library against the real database, on the server's pinned
/// clock: a request to two departments, one answering on time with a period report, the other
/// going overdue exactly when the due time passes.
final class ServerDispatchTests: XCTestCase {
    static let fixedAssets = ServerReportingTests.fixedAssets
    let calendar = CampaignCalendar()

    private func june(_ day: Int, _ hour: Int, _ minute: Int = 0) throws -> Date {
        try XCTUnwrap(calendar.date(year: 2023, month: 6, day: day, hour: hour, minute: minute))
    }

    /// The first event of `stream` that `matches`, within 10 s.
    static func next(_ stream: AsyncThrowingStream<Tally_V1_InboxEvent, Error>, _ what: String,
                     where matches: @escaping @Sendable (Tally_V1_InboxEvent) -> Bool) async throws -> Tally_V1_InboxEvent {
        try await within(.seconds(10), what) {
            for try await event in stream where matches(event) { return event }
            throw RPCError(.unavailable, "the inbox stream ended before \(what)")
        }
    }

    private func recipient(_ dispatch: Tally_V1_Dispatch, _ department: String) throws -> Tally_V1_DispatchRecipient {
        try XCTUnwrap(dispatch.recipients.first { $0.department == department }, "\(department) in \(dispatch.id)")
    }

    func testOneDepartmentAnswersOnTimeTheOtherGoesOverdueAtTheDueTime() async throws {
        let server = try await TallyTestServer.start(clock: try june(10, 10))
        let due = try june(12, 18)
        let inbox = server.yinzhu.watchInbox()
        _ = try await Self.next(inbox, "the inbox snapshot") { $0.snapshot.department == "yinzhu" }

        let created = try await server.central.createDispatch(
            title: "报送固定资产投资进度", instructions: "说明六月投资滞后原因", departments: ["yinzhu", "marine-hitech"],
            subjects: [Self.fixedAssets], due: due)
        XCTAssertEqual(created.recipients.map(\.state), [.open, .open])
        XCTAssertEqual(created.dueUnixMs, Int64(due.timeIntervalSince1970 * 1000))
        // The addressed department hears of it as it commits, and finds it in its inbox.
        let arrived = try await Self.next(inbox, "the dispatch event") { $0.dispatch.id == created.id }
        XCTAssertEqual(arrived.dispatch.recipients.map(\.department), ["yinzhu"], "a department sees only its own row")
        let listedInbox = try await server.yinzhu.inbox()
        XCTAssertEqual(listedInbox.dispatches.map(\.id), [created.id])

        // yinzhu answers on time, with a period report committed together with the answer.
        var update = Tally_V1_Update()
        update.target = Requests.increment(Self.fixedAssets, by: "3.5", id: "")
        let answered = try await server.yinzhu.answerDispatch(created.id, answer: "六月已完成3.5亿元", updates: [update],
                                                              reportNote: "六月投资")
        XCTAssertEqual(try recipient(answered.dispatch, "yinzhu").state, .answered)
        XCTAssertFalse(try recipient(answered.dispatch, "yinzhu").late)
        XCTAssertEqual(answered.report.reviewState, .submitted)
        XCTAssertEqual(answered.report.dispatchID, created.id)
        XCTAssertEqual(try recipient(answered.dispatch, "yinzhu").reportID, answered.report.id)
        XCTAssertEqual(answered.targets.first?.currentFigure, "3.5")
        // A retried request (same request id) is the first one, not a second dispatch or answer.
        let retried = try await server.central.createDispatch(
            title: "报送固定资产投资进度", instructions: "说明六月投资滞后原因", departments: ["yinzhu", "marine-hitech"],
            subjects: [Self.fixedAssets], due: due, requestID: "dispatch-june")
        let again = try await server.central.createDispatch(
            title: "报送固定资产投资进度", instructions: "说明六月投资滞后原因", departments: ["yinzhu", "marine-hitech"],
            subjects: [Self.fixedAssets], due: due, requestID: "dispatch-june")
        XCTAssertEqual(again.id, retried.id)
        _ = try await server.central.closeDispatch(retried.id)
        await assertStatus(.alreadyExists, "a second answer") {
            try await server.yinzhu.answerDispatch(created.id, answer: "再答一次")
        }

        // Before the due time (and at it) marine-hitech is open, not overdue.
        let before = try await server.central.listDispatches()
        let listed = try XCTUnwrap(before.dispatches.first { $0.id == created.id })
        XCTAssertEqual(try recipient(listed, "yinzhu").state, .answered)
        XCTAssertEqual(try recipient(listed, "marine-hitech").state, .open)
        XCTAssertEqual(listed.answered, 1)
        XCTAssertEqual(listed.overdue, 0)
        let atDue = try await TallyTestServer.start(database: server.database, clock: due)
        let seenAtDue = try await atDue.central.dispatch(created.id)
        XCTAssertEqual(try recipient(seenAtDue, "marine-hitech").state, .open)
        await atDue.stop()

        // A minute past the due time, on a server whose clock says so, marine-hitech is overdue.
        let past = try await TallyTestServer.start(database: server.database, clock: due.addingTimeInterval(60))
        let after = try await past.central.listDispatches()
        let overdue = try XCTUnwrap(after.dispatches.first { $0.id == created.id })
        XCTAssertEqual(try recipient(overdue, "marine-hitech").state, .overdue)
        XCTAssertEqual(try recipient(overdue, "yinzhu").state, .answered)
        XCTAssertEqual(overdue.overdue, 1)
        let standing = Dictionary(uniqueKeysWithValues: after.standing.map { ($0.department, $0) })
        XCTAssertEqual(standing["yinzhu"]?.answeredOnTime, 1)
        XCTAssertEqual(standing["marine-hitech"]?.overdue, 1)
        XCTAssertEqual(after.nowUnixMs, Int64(due.timeIntervalSince1970 * 1000) + 60_000)
        // Its late answer is marked late; once closed, the request takes no more answers.
        let late = try await past.marine.answerDispatch(created.id, answer: "迟到的说明")
        XCTAssertTrue(try recipient(late.dispatch, "marine-hitech").late)
        let closed = try await past.central.closeDispatch(created.id)
        XCTAssertTrue(closed.closed)
        await past.stop()
        await assertStatus(.failedPrecondition, "closing twice") { try await server.admin.closeDispatch(created.id) }

        // Every step is a change in the log, in the central office's history of the request.
        let history = try await server.central.history(subjectID: created.id)
        XCTAssertEqual(history.map(\.field), ["closed", "answered", "answered", "created"])
        XCTAssertEqual(history.map(\.kind), Array(repeating: "dispatch", count: 4))
        await server.stop()
    }

    func testADepartmentReadsAndAnswersOnlyRequestsAddressedToIt() async throws {
        let server = try await TallyTestServer.start(clock: try june(10, 10))
        let created = try await server.central.createDispatch(title: "只问银珠", departments: ["yinzhu"], due: try june(20, 18))
        await assertStatus(.permissionDenied, "marine reads yinzhu's request") { try await server.marine.dispatch(created.id) }
        await assertStatus(.permissionDenied, "marine answers yinzhu's request") {
            try await server.marine.answerDispatch(created.id, answer: "越权")
        }
        let marineInbox = try await server.marine.inbox()
        XCTAssertEqual(marineInbox.dispatches, [])
        let seen = try await server.yinzhu.dispatch(created.id)
        XCTAssertEqual(seen.id, created.id)
        await assertStatus(.notFound, "an unknown request") { try await server.yinzhu.answerDispatch("D999", answer: "?") }
        await assertStatus(.invalidArgument, "a due time already past") {
            try await server.central.createDispatch(title: "过期", departments: ["yinzhu"], due: try self.june(1, 0))
        }
        await assertStatus(.notFound, "an unknown department") {
            try await server.central.createDispatch(title: "无此部门", departments: ["nowhere"], due: try self.june(20, 0))
        }
        await assertStatus(.invalidArgument, "an empty answer") { try await server.yinzhu.answerDispatch(created.id, answer: " ") }

        // The answer and its report are one write: a bad update leaves the request unanswered and
        // no figure moved, no report recorded.
        var good = Tally_V1_Update()
        good.target = Requests.increment(Self.fixedAssets, by: "2", id: "")
        var bad = Tally_V1_Update()
        bad.target = Requests.increment("yinzhu/no-such-target", by: "1", id: "")
        await assertStatus(.notFound, "an answer whose report names an unknown target") {
            try await server.yinzhu.answerDispatch(created.id, answer: "附报表", updates: [good, bad])
        }
        let unanswered = try await server.yinzhu.dispatch(created.id)
        XCTAssertEqual(unanswered.recipients.map(\.state), [.open])
        let reports = try await server.yinzhu.listReports()
        XCTAssertEqual(reports, [])
        let figure = try await server.yinzhu.listMine().targets.first { $0.id == Self.fixedAssets }?.currentFigure
        XCTAssertEqual(figure, "0")
        await server.stop()
    }
}
