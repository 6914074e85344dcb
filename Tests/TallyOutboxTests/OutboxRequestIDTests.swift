import Foundation
import TallyOutbox
import XCTest

/// A report sent again with the same `--request-id` (the retry the CLI and SPEC.md advise) goes
/// through the outbox like any other: the same write is sent again and replayed, never stored
/// twice; a different write under that id is refused, as the server refuses one.
final class OutboxRequestIDTests: XCTestCase {
    func testTheSameReportAgainIsAReplayAndADifferentOneIsRefused() throws {
        let campaign = try Campaign()
        let home = try freshHome()
        let before = try campaign.figure()
        let report = { (arguments: [String]) in
            try TallyRun.run(["report", "target", Campaign.target] + arguments + ["--request-id", "again-1"],
                             home: home, server: campaign.address, token: campaign.yinzhuToken)
        }

        let first = try report(["--add", "1"])
        XCTAssertEqual(first.status, 0, first.stdout + first.stderr)
        XCTAssertFalse(first.stdout.contains("repeated request"), first.stdout)

        let again = try report(["--add", "1"])
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        XCTAssertTrue(again.stdout.contains("repeated request: first result"), again.stdout)

        let different = try report(["--add", "2"])
        XCTAssertEqual(different.status, 2, different.stdout + different.stderr)
        XCTAssertTrue(different.stderr.contains(#"request id "again-1" was used for a different request"#),
                      different.stderr)
        XCTAssertFalse(different.stderr.contains("SQLite"), different.stderr)

        XCTAssertEqual(try campaign.figure(), before + 1)
        XCTAssertEqual(try campaign.logged("again-"), 1)
        let outbox = try Outbox(path: home.appendingPathComponent("outbox.sqlite").path)
        let items = try outbox.items(Set(OutboxItem.State.allCases))
        XCTAssertEqual(items.map(\.write.requestID), ["again-1"])
        XCTAssertEqual(items.map(\.state), [.delivered])
        XCTAssertEqual(items.map(\.replayed), [true])
    }

    func testAQueuedReportSentAgainWhileTheServerIsDownStaysOneItem() throws {
        let (campaign, home, before) = try Campaign.offline()
        let number = try campaign.queue(home, "offline-again-1")
        XCTAssertEqual(try campaign.queue(home, "offline-again-1"), number, "the same item, not a second one")

        try campaign.startServer()
        let delivered = try TallyRun.run(["report", "target", Campaign.target, "--add", "1", "--request-id", "offline-again-1"],
                                         home: home, server: campaign.address, token: campaign.yinzhuToken)
        XCTAssertEqual(delivered.status, 0, delivered.stdout + delivered.stderr)
        XCTAssertEqual(try campaign.figure(), before + 1)
        XCTAssertEqual(try campaign.logged("offline-again-"), 1)
        let outbox = try Outbox(path: home.appendingPathComponent("outbox.sqlite").path)
        XCTAssertEqual(try outbox.items(Set(OutboxItem.State.allCases)).map(\.id), [Int64(number)])
    }
}
