import Foundation
import TallyClient
import TallyMessages
import TallyOutbox
import TallyWire
import XCTest

/// A queued report the server refuses when it finally arrives is kept, with the server's message,
/// and never sent again on its own.
final class OutboxRefusalTests: XCTestCase {
    func testStaleVersionIsKeptAsFailedWithTheServersMessageAndNotRetried() async throws {
        let campaign = try Campaign()
        let home = try freshHome()
        let version = try campaign.version()
        campaign.stopServer()
        try campaign.queue(home, "stale-1", ["--set", "5", "--expect-version", "\(version)"])

        // A colleague reports online meanwhile: the queued report's version is now stale.
        try campaign.startServer()
        let colleague = TallyClient(host: "127.0.0.1", port: campaign.port, token: campaign.yinzhuToken)
        var change = Tally_V1_ReportTargetRequest()
        change.requestID = "colleague-1"
        change.targetID = Campaign.target
        change.increment = "1"
        _ = try await colleague.reportTarget(change)
        await colleague.close()
        let figure = try campaign.figure()

        let sync = try TallyRun.run(["sync"], home: home, server: campaign.address, token: campaign.yinzhuToken)
        XCTAssertEqual(sync.status, 2, sync.stdout + sync.stderr)
        XCTAssertTrue(sync.stdout.contains("delivered 0, refused 1, still queued 0"), sync.stdout)
        XCTAssertTrue(sync.stderr.contains("stale version"), sync.stderr)
        let listed = try TallyRun.run(["outbox"], home: home, server: campaign.address, token: campaign.yinzhuToken)
        XCTAssertTrue(listed.stdout.contains("failed"), listed.stdout)
        XCTAssertTrue(listed.stdout.contains("ABORTED: stale version"), listed.stdout)

        // Not retried blindly: another sync leaves it alone.
        let outbox = try Outbox(path: home.appendingPathComponent("outbox.sqlite").path)
        let failed = try XCTUnwrap(outbox.items([.failed]).first)
        let again = try TallyRun.run(["sync"], home: home, server: campaign.address, token: campaign.yinzhuToken)
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        XCTAssertEqual(try outbox.item(failed.id)?.attempts, failed.attempts)
        XCTAssertEqual(try campaign.figure(), figure)
        XCTAssertEqual(try campaign.logged("stale-"), 0)

        // Retried on purpose it fails the same way; dropped, it is gone.
        let retry = try TallyRun.run(["outbox", "retry", "\(failed.id)"], home: home, server: campaign.address,
                                     token: campaign.yinzhuToken)
        XCTAssertEqual(retry.status, 2, retry.stdout + retry.stderr)
        let drop = try TallyRun.run(["outbox", "drop", "\(failed.id)"], home: home, server: campaign.address,
                                    token: campaign.yinzhuToken)
        XCTAssertEqual(drop.status, 0, drop.stdout + drop.stderr)
        XCTAssertNil(try outbox.item(failed.id))
        XCTAssertEqual(try campaign.figure(), figure)
    }

    func testAReportRefusedAtOnceIsNotKept() async throws {
        let campaign = try Campaign()
        let home = try freshHome()
        let run = try TallyRun.run(["report", "target", "yinzhu/no-such-target", "--add", "1"],
                                   home: home, server: campaign.address, token: campaign.yinzhuToken)
        XCTAssertEqual(run.status, 2, run.stdout + run.stderr)
        XCTAssertTrue(run.stderr.contains("does not exist"), run.stderr)
        let outbox = try Outbox(path: home.appendingPathComponent("outbox.sqlite").path)
        XCTAssertTrue(try outbox.items(Set(OutboxItem.State.allCases)).isEmpty)
    }
}

/// A refused token is the credential's problem, not the reports': they stay queued until it is fixed.
final class OutboxCredentialTests: XCTestCase {
    func testWrongTokenKeepsTheQueueUntilTheRightOneDeliversIt() async throws {
        let (campaign, home, before) = try Campaign.offline()
        try campaign.queue(home, "token-1")
        try campaign.startServer()

        let wrong = try TallyRun.run(["sync"], home: home, server: campaign.address, token: "tly_not-a-token")
        XCTAssertEqual(wrong.status, 4, wrong.stdout + wrong.stderr)
        let outbox = try Outbox(path: home.appendingPathComponent("outbox.sqlite").path)
        XCTAssertEqual(try outbox.items([.queued]).map(\.write.requestID), ["token-1"])

        let right = try TallyRun.run(["sync"], home: home, server: campaign.address, token: campaign.yinzhuToken)
        XCTAssertEqual(right.status, 0, right.stdout + right.stderr)
        XCTAssertEqual(try campaign.logged("token-"), 1)
        XCTAssertEqual(try campaign.figure(), before + 1)
    }
}
