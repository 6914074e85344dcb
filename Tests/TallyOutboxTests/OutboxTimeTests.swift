import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyOutbox
import TallyWire
import XCTest

/// A queued report counts for the CST period in which it was made, within the server's window, and
/// the central office can tell a late delivery from a late report.
final class OutboxTimeTests: XCTestCase {
    /// An instant given in China Standard Time.
    private func cst(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) throws -> Date {
        try XCTUnwrap(CampaignCalendar().date(year: year, month: month, day: day, hour: hour, minute: minute))
    }

    private func increment(_ id: String) -> OutboxWrite {
        var request = Tally_V1_ReportTargetRequest()
        request.requestID = id
        request.targetID = Campaign.target
        request.increment = "1"
        return .reportTarget(request)
    }

    func testReportQueuedOn31JanuaryAndDeliveredOn1FebruaryCountsForJanuary() async throws {
        // The server's campaign clock stands at 1 February 2023 (the end of that day, CST).
        let campaign = try Campaign(arguments: ["--pin-now", "2023-02-01"])
        let madeAt = try cst(2023, 1, 31, 23, 30)
        let home = try freshHome()
        let outbox = try Outbox(path: home.appendingPathComponent("outbox.sqlite").path, clock: { madeAt })
        let client = TallyClient(host: "127.0.0.1", port: campaign.port, token: campaign.yinzhuToken)
        let item = try outbox.enqueue(increment("january-1"), server: client.address.description)
        XCTAssertEqual(item.madeAt, madeAt)
        // A whole period report queued at the same moment, naming no period.
        var report = Tally_V1_SubmitPeriodReportRequest()
        report.requestID = "january-report-1"
        report.updates = ["yinzhu/industry/high-tech-enterprises", "yinzhu/industry/tax-source-projects"].map { target in
            var update = Tally_V1_Update()
            var request = Tally_V1_ReportTargetRequest()
            request.targetID = target
            request.increment = "1"
            update.target = request
            return update
        }
        let reportItem = try outbox.enqueue(.periodReport(report), server: client.address.description)

        let run = await outbox.deliver(using: client)
        XCTAssertEqual(run.delivered.map(\.id), [item.id, reportItem.id], "\(String(describing: run.stoppedBy)) \(run.failed)")
        // The figure changes and the period report's own record (kind 'review', Schema/007).
        let rows = try DB.query(campaign.database, """
            SELECT period, made_at FROM change_log WHERE request_id IN ('january-1', 'january-report-1')
            """).rows
        XCTAssertEqual(rows.count, 4)
        for row in rows {
            XCTAssertEqual(try row.decode(String.self, at: 0), "2023-01", "counted for the month it was made in")
            XCTAssertEqual(try row.decode(Date?.self, at: 1), madeAt, "the log keeps when it was made")
        }

        // Without a made_at the same server counts a report for its own month, February.
        var online = Tally_V1_ReportTargetRequest()
        online.requestID = "february-1"
        online.targetID = "yinzhu/industry/high-tech-enterprises"
        online.increment = "1"
        _ = try await client.reportTarget(online)
        XCTAssertEqual(try DB.text(campaign.database, "SELECT period FROM change_log WHERE request_id = 'february-1'"), "2023-02")
        await client.close()
    }

    func testMadeAtOutsideTheWindowIsRefusedAndKeptAsFailed() async throws {
        let campaign = try Campaign(arguments: ["--pin-now", "2023-02-01"])
        let path = try freshHome().appendingPathComponent("outbox.sqlite").path
        let client = TallyClient(host: "127.0.0.1", port: campaign.port, token: campaign.yinzhuToken)
        // December's reports were due on 5 January, late deliveries accepted for 7 more days.
        let decemberDay = try cst(2022, 12, 20), aheadDay = try cst(2023, 2, 3)
        let december = try Outbox(path: path, clock: { decemberDay })
        let closed = try december.enqueue(increment("december-1"), server: client.address.description)
        // Two days ahead of the server's clock: beyond the 5-minute skew allowance.
        let future = try Outbox(path: path, clock: { aheadDay })
        let ahead = try future.enqueue(increment("future-1"), server: client.address.description)

        let run = await future.deliver(using: client)
        await client.close()
        XCTAssertEqual(run.failed.map(\.id), [closed.id, ahead.id])
        XCTAssertEqual(try december.item(closed.id)?.statusCode, .failedPrecondition)
        XCTAssertTrue(try december.item(closed.id)?.message?.contains("period 2022-12 is closed") ?? false)
        XCTAssertEqual(try future.item(ahead.id)?.statusCode, .invalidArgument)
        XCTAssertTrue(try future.item(ahead.id)?.message?.contains("is in the future") ?? false)
        XCTAssertEqual(try campaign.logged("december-") + campaign.logged("future-"), 0)
    }

    func testDashboardTellsALateDeliveryFromALateReport() async throws {
        let campaign = try Campaign(arguments: ["--pin-now", "2023-02-01"])
        let home = try freshHome()
        let january = try cst(2023, 1, 31, 23, 30)
        let outbox = try Outbox(path: home.appendingPathComponent("outbox.sqlite").path, clock: { january })
        let clerk = TallyClient(host: "127.0.0.1", port: campaign.port, token: campaign.yinzhuToken)
        // Made on 31 January, delivered now (after January's due day): a late delivery.
        try outbox.enqueue(increment("late-delivery-1"), server: clerk.address.description)
        let run = await outbox.deliver(using: clerk)
        XCTAssertEqual(run.delivered.count, 1)
        // January's period report made now, long after its due day: a late report. Its two
        // changes are one report, counted once (live and rebuilt from the log).
        var report = Tally_V1_SubmitPeriodReportRequest()
        report.requestID = "late-report-1"
        report.period = "2023-01"
        report.updates = ["yinzhu/industry/high-tech-enterprises", "yinzhu/industry/tax-source-projects"].map { id in
            var update = Tally_V1_Update()
            var target = Tally_V1_ReportTargetRequest()
            target.targetID = id
            target.increment = "1"
            update.target = target
            return update
        }
        let submitted = try await clerk.submitPeriodReport(report)
        await clerk.close()

        try await assertLateness(campaign, sequence: submitted.lastSequence, deliveries: 1, reports: 1)
        // The same figures after a restart, rebuilt from the change log.
        campaign.stopServer()
        try campaign.startServer()
        try await assertLateness(campaign, sequence: submitted.lastSequence, deliveries: 1, reports: 1)
        let export = try TallyRun.run(["export", "--format", "json"], home: home, server: campaign.address,
                                      token: campaign.centralToken)
        XCTAssertTrue(export.stdout.contains(#""lateDeliveries" : 1"#) && export.stdout.contains(#""lateReports" : 1"#),
                      export.stdout)
        let history = try await campaign.history(Campaign.target)
        XCTAssertEqual(history.first?.madeAtUnixMs, Int64(january.timeIntervalSince1970 * 1000))
    }

    private func assertLateness(_ campaign: Campaign, sequence: Int64, deliveries: Int32, reports: Int32,
                                file: StaticString = #filePath, line: UInt = #line) async throws {
        let dashboard = try await campaign.dashboard(atLeast: sequence)
        let yinzhu = try XCTUnwrap(dashboard.departments.first { $0.department.code == "yinzhu" }, file: file, line: line)
        XCTAssertEqual(yinzhu.lateDeliveries, deliveries, "made in time, delivered after the due day", file: file, line: line)
        XCTAssertEqual(yinzhu.lateReports, reports, "made after the due day", file: file, line: line)
        let marine = try XCTUnwrap(dashboard.departments.first { $0.department.code == "marine-hitech" }, file: file, line: line)
        XCTAssertEqual(marine.lateDeliveries + marine.lateReports, 0, file: file, line: line)
    }

    func testAReplayIsRecognisedEvenAfterItsPeriodClosed() async throws {
        // Delivered on 10 February (January still open), the answer lost with the server; replayed
        // on 20 February, after January closed (13 February): recognised, not refused.
        let campaign = try Campaign(arguments: ["--pin-now", "2023-02-10"])
        let before = try campaign.figure()
        let madeAt = try cst(2023, 1, 31, 23, 30)
        let proxy = try TCPProxy(upstreamPort: campaign.port)
        defer { proxy.close() }
        let client = TallyClient(host: "127.0.0.1", port: proxy.port, token: campaign.yinzhuToken)
        let outbox = try Outbox(path: try freshHome().appendingPathComponent("outbox.sqlite").path, clock: { madeAt })
        try await client.health()
        let item = try outbox.enqueue(increment("closed-replay-1"), server: client.address.description)
        proxy.holdAnswers(true)
        let delivery = Task { await outbox.deliver(using: client) }
        try await waitFor("the commit of the report") { try campaign.logged("closed-replay-") == 1 }
        campaign.killServer()
        let lost = await delivery.value
        XCTAssertTrue(lost.delivered.isEmpty, "the answer never arrived")

        try campaign.startServer(arguments: ["--pin-now", "2023-02-20"])
        proxy.holdAnswers(false)
        let replay = await outbox.deliver(using: client)
        await client.close()
        XCTAssertEqual(replay.delivered.map(\.id), [item.id], "\(replay.failed.map { $0.message ?? "" })")
        XCTAssertEqual(replay.delivered.first?.replayed, true)
        XCTAssertEqual(try campaign.logged("closed-replay-"), 1)
        XCTAssertEqual(try campaign.figure(), before + 1)
    }
}
