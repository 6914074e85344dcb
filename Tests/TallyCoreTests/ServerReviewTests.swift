import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyServerTestSupport
import TallyWire
import XCTest

/// Review (审核) through the client library against the real database: a report counts as soon as
/// it is submitted, is returned with a comment that reaches the department, and is corrected by a
/// resubmission linked to it; every review action is in the change log.
final class ServerReviewTests: XCTestCase {
    static let fixedAssets = ServerReportingTests.fixedAssets

    func testAReturnedReportReachesTheDepartmentAndItsCorrectionLinksToIt() async throws {
        let server = try await TallyTestServer.start()
        let inbox = server.yinzhu.watchInbox()
        _ = try await ServerDispatchTests.next(inbox, "the inbox snapshot") { $0.snapshot.department == "yinzhu" }

        let submitted = try await server.yinzhu.submitPeriodReport(
            Requests.periodReport([Requests.set(Self.fixedAssets, to: "30", id: "")]))
        let report = submitted.report
        XCTAssertEqual(report.reviewState, .submitted)
        XCTAssertEqual(report.department, "yinzhu")
        XCTAssertEqual(report.firstSequence, submitted.firstSequence)
        XCTAssertEqual(report.lastSequence, submitted.lastSequence)
        // The figures count at once, before any review.
        let dashboard = try await server.dashboard(server.central, atLeast: submitted.lastSequence + 1)
        let figure = dashboard.departments.flatMap(\.targets).first { $0.target.id == Self.fixedAssets }?.target.currentFigure
        XCTAssertEqual(figure, "30")

        await assertStatus(.permissionDenied, "a department reviews") {
            try await server.yinzhu.returnReport(report.id, comment: "自己退回")
        }
        await assertStatus(.invalidArgument, "a return without a comment") {
            try await server.central.returnReport(report.id, comment: "  ")
        }
        let returned = try await server.central.returnReport(report.id, comment: "固定资产投资与统计局口径不符，请核实")
        XCTAssertEqual(returned.reviewState, .returned)
        XCTAssertEqual(returned.reviewComment, "固定资产投资与统计局口径不符，请核实")
        await assertStatus(.failedPrecondition, "accepting a returned report") { try await server.admin.acceptReport(report.id) }

        // The return reaches the department: a watch event with the comment, and its inbox.
        let event = try await ServerDispatchTests.next(inbox, "the return event") {
            $0.report.id == report.id && $0.report.reviewState == .returned
        }
        XCTAssertEqual(event.report.reviewComment, returned.reviewComment)
        let inboxAfterReturn = try await server.yinzhu.inbox()
        XCTAssertEqual(inboxAfterReturn.returned.map(\.id), [report.id])
        // Returning undid nothing: the figure is still the reported one.
        let still = try await server.yinzhu.listMine().targets.first { $0.id == Self.fixedAssets }?.currentFigure
        XCTAssertEqual(still, "30")

        // Another department cannot correct it; yinzhu's corrected resubmission links to it.
        var foreign = Requests.periodReport([Requests.increment(ServerReportingTests.newHQ, by: "1", id: "")])
        foreign.resubmits = report.id
        await assertStatus(.permissionDenied, "marine corrects yinzhu's report") { try await server.marine.submitPeriodReport(foreign) }
        var correction = Requests.periodReport([Requests.set(Self.fixedAssets, to: "27.5", id: "")])
        correction.resubmits = report.id
        correction.note = "按统计局口径更正"
        let corrected = try await server.yinzhu.submitPeriodReport(correction)
        XCTAssertEqual(corrected.report.resubmits, report.id)
        XCTAssertEqual(corrected.report.reviewState, .submitted)
        var again = Requests.periodReport([Requests.set(Self.fixedAssets, to: "27.5", id: "")])
        again.resubmits = report.id
        await assertStatus(.failedPrecondition, "a second correction of one return") { try await server.yinzhu.submitPeriodReport(again) }
        let accepted = try await server.central.acceptReport(corrected.report.id)
        XCTAssertEqual(accepted.reviewState, .accepted)

        // Each report shows its review state; the returned one names its correction.
        let reports = try await server.yinzhu.listReports()
        let byID = Dictionary(uniqueKeysWithValues: reports.map { ($0.id, $0) })
        XCTAssertEqual(byID[report.id]?.reviewState, .returned)
        XCTAssertEqual(byID[report.id]?.correctedBy, corrected.report.id)
        XCTAssertEqual(byID[corrected.report.id]?.reviewState, .accepted)
        let inboxAfterCorrection = try await server.yinzhu.inbox()
        XCTAssertEqual(inboxAfterCorrection.returned, [], "the correction clears the return from the inbox")
        await assertStatus(.permissionDenied, "marine reads yinzhu's reports") { try await server.marine.listReports(department: "yinzhu") }
        let acceptedReports = try await server.central.listReports(state: .accepted)
        XCTAssertEqual(acceptedReports.map(\.id), [corrected.report.id])

        // The correction is a new change in the log, and every review action is logged.
        let figures = try await server.central.history(subjectID: Self.fixedAssets)
        XCTAssertEqual(figures.map(\.newValue).prefix(2), ["27.5", "30"])
        let reviewLog = try await server.central.history(subjectID: report.id)
        XCTAssertEqual(reviewLog.map(\.field), ["returned", "submitted"])
        XCTAssertEqual(reviewLog.first?.note, returned.reviewComment)
        let correctionLog = try await server.central.history(subjectID: corrected.report.id)
        XCTAssertEqual(correctionLog.map(\.field), ["accepted", "submitted"])
        await server.stop()
    }
}
