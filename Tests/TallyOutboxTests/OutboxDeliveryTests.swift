import Foundation
import TallyClient
import TallyMessages
import TallyOutbox
import TallyWire
import XCTest

/// Delivery of the outbox to a real `tally serve`: after an outage, after the client or the server
/// is killed in the middle, each report applied exactly once.
final class OutboxDeliveryTests: XCTestCase {
    func testTenReportsQueuedWhileTheServerIsDownAreDeliveredExactlyOnceBySync() async throws {
        let (campaign, home, before) = try Campaign.offline()

        for index in 1...10 {
            XCTAssertEqual(try campaign.queue(home, "ten-\(index)"), index)
        }
        let listed = try TallyRun.run(["outbox"], home: home, server: campaign.address, token: campaign.yinzhuToken)
        XCTAssertEqual(listed.stdout.components(separatedBy: "\n").filter { $0.contains(" queued ") }.count, 10, listed.stdout)

        try campaign.startServer()
        let sync = try TallyRun.run(["sync"], home: home, server: campaign.address, token: campaign.yinzhuToken)
        XCTAssertEqual(sync.status, 0, sync.stdout + sync.stderr)
        XCTAssertTrue(sync.stdout.contains("delivered 10, refused 0, still queued 0"), sync.stdout)
        XCTAssertEqual(try campaign.logged("ten-"), 10)
        XCTAssertEqual(try campaign.figure(), before + 10)

        let again = try TallyRun.run(["sync"], home: home, server: campaign.address, token: campaign.yinzhuToken)
        XCTAssertTrue(again.stdout.contains("delivered 0, refused 0, still queued 0"), again.stdout)
        let empty = try TallyRun.run(["outbox"], home: home, server: campaign.address, token: campaign.yinzhuToken)
        XCTAssertTrue(empty.stdout.contains("the outbox is empty"), empty.stdout)
        XCTAssertEqual(try campaign.figure(), before + 10)
    }

    func testClientKilledMidDeliveryDeliversTheRestWithNothingDoubled() async throws {
        let campaign = try Campaign()
        let home = try freshHome()
        let before = try campaign.figure()
        // The clerk's link goes through a proxy that can hold back the server's answers.
        let proxy = try TCPProxy(upstreamPort: campaign.port)
        defer { proxy.close() }
        let link = "127.0.0.1:\(proxy.port)"
        let outbox = try Outbox(path: home.appendingPathComponent("outbox.sqlite").path)
        func enqueue(_ range: ClosedRange<Int>) throws {
            for index in range {
                var request = Tally_V1_ReportTargetRequest()
                request.requestID = "kill-\(index)"
                request.targetID = Campaign.target
                request.increment = "1"
                try outbox.enqueue(.reportTarget(request), server: link)
            }
        }
        try enqueue(1...20)
        let first = try TallyRun.run(["sync"], home: home, server: link, token: campaign.yinzhuToken)
        XCTAssertTrue(first.stdout.contains("delivered 20,"), first.stdout + first.stderr)
        try enqueue(21...200)

        // Item 21 is committed, its answer held back: `tally sync` waits for it and is killed there.
        proxy.holdAnswers(true)
        let sync = try TallyRun(["sync"], home: home, server: link, token: campaign.yinzhuToken)
        try await waitFor("the commit of item 21") { try campaign.logged("kill-") == 21 }
        sync.kill()
        let killed = sync.wait()
        XCTAssertTrue(killed.killed, "tally sync must die by SIGKILL, mid-delivery: \(killed.stdout)")
        XCTAssertEqual(try outbox.items([.queued]).count, 180, "item 21 is applied on the server, not noted here")

        proxy.holdAnswers(false)
        let rest = try TallyRun.run(["sync"], home: home, server: link, token: campaign.yinzhuToken)
        XCTAssertEqual(rest.status, 0, rest.stdout + rest.stderr)
        XCTAssertTrue(rest.stdout.contains("delivered 180 (1 already received: replay recognised)"), rest.stdout)
        XCTAssertEqual(try campaign.logged("kill-"), 200)
        XCTAssertEqual(try campaign.doubled("kill-"), 0)
        XCTAssertEqual(try campaign.figure(), before + 200)
        let delivered = try outbox.items([.delivered])
        XCTAssertEqual(delivered.count, 200)
        XCTAssertEqual(delivered.filter(\.replayed).map(\.write.requestID), ["kill-21"])
        XCTAssertTrue(try outbox.items([.queued, .failed]).isEmpty)
    }

    func testAnswerLostWhenTheServerDiesAfterCommitIsRecognisedAsAReplay() async throws {
        let campaign = try Campaign()
        let before = try campaign.figure()
        let proxy = try TCPProxy(upstreamPort: campaign.port)
        defer { proxy.close() }
        let client = TallyClient(host: "127.0.0.1", port: proxy.port, token: campaign.yinzhuToken, callTimeout: .seconds(30))
        let outbox = try Outbox(path: try freshHome().appendingPathComponent("outbox.sqlite").path)
        try await client.health()   // connected through the proxy, handshake done

        var request = Tally_V1_ReportTargetRequest()
        request.requestID = "lost-answer-1"
        request.targetID = Campaign.target
        request.increment = "2.5"
        let item = try outbox.enqueue(.reportTarget(request), server: client.address.description)
        proxy.holdAnswers(true)
        let delivery = Task { await outbox.deliver(using: client) }
        try await waitFor("the commit of the report") { try campaign.logged("lost-answer-") == 1 }
        campaign.killServer()
        let first = await delivery.value
        XCTAssertTrue(first.delivered.isEmpty, "the answer never arrived")
        XCTAssertEqual(first.stoppedBy?.code, .unavailable, "\(String(describing: first.stoppedBy))")
        XCTAssertEqual(try outbox.item(item.id)?.state, .queued)

        try campaign.startServer()
        proxy.holdAnswers(false)
        let second = await outbox.deliver(using: client)
        await client.close()
        XCTAssertEqual(second.delivered.map(\.id), [item.id])
        XCTAssertEqual(second.delivered.first?.replayed, true, "the server recognises the request id it committed")
        XCTAssertEqual(try campaign.logged("lost-answer-"), 1)
        XCTAssertEqual(try campaign.figure(), before + Decimal(25) / 10)
    }
}

/// A program on TallyClient needs no `sync`: the queue goes out by itself once the server is back.
final class OutboxAutomaticDeliveryTests: XCTestCase {
    func testQueueIsDeliveredByItselfWhenTheServerComesBack() async throws {
        let campaign = try Campaign()
        let before = try campaign.figure()
        campaign.stopServer()
        let outbox = try Outbox(path: try freshHome().appendingPathComponent("outbox.sqlite").path)
        let client = TallyClient(host: "127.0.0.1", port: campaign.port, token: campaign.yinzhuToken)
        var queued: [Int64] = []
        for index in 1...3 {
            var request = Tally_V1_ReportTargetRequest()
            request.requestID = "auto-\(index)"
            request.targetID = Campaign.target
            request.increment = "1"
            guard case .queued(let item, let reason) = try await outbox.submit(.reportTarget(request), using: client) else {
                return XCTFail("report \(index) reached a server that is down")
            }
            XCTAssertEqual(reason.code, .unavailable)
            queued.append(item.id)
        }
        let background = Task { await outbox.deliverUntilEmpty(using: client, maxBackoff: .milliseconds(200)) }
        try campaign.startServer()
        let run = await background.value
        await client.close()
        XCTAssertEqual(run.delivered.map(\.id), queued, "all three, in the order made")
        XCTAssertEqual(run.remaining, 0)
        XCTAssertEqual(try campaign.logged("auto-"), 3)
        XCTAssertEqual(try campaign.figure(), before + 3)
    }

    func testNextReportSendsTheQueueFirstInTheOrderMade() async throws {
        let campaign = try Campaign()
        let home = try freshHome()
        campaign.stopServer()
        try campaign.queue(home, "order-1")
        try campaign.queue(home, "order-2")
        try campaign.startServer()
        let online = try TallyRun.run(["report", "target", Campaign.target, "--add", "1", "--request-id", "order-3"],
                                      home: home, server: campaign.address, token: campaign.yinzhuToken)
        XCTAssertEqual(online.status, 0, online.stdout + online.stderr)
        XCTAssertTrue(online.stdout.contains("delivered 2 earlier queued write(s)"), online.stdout)
        let order = try DB.query(campaign.database, "SELECT request_id FROM change_log WHERE request_id LIKE 'order-%' ORDER BY sequence")
            .rows.map { try $0.decode(String.self, at: 0) }
        XCTAssertEqual(order, ["order-1", "order-2", "order-3"])
    }
}
