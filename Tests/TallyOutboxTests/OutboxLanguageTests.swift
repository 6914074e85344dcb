import Foundation
import XCTest

/// What the outbox says when the server cannot be reached is said in the clerk's language: the
/// client runtime's reason ("cannot reach …: connection refused") goes through the message catalog
/// like the server's messages, on the queued notice, in `tally outbox` and in `tally sync`.
final class OutboxLanguageTests: XCTestCase {
    func testTheUnreachableServerIsSaidInChinese() throws {
        let (campaign, home, _) = try Campaign.offline()
        let run = { (arguments: [String]) in
            try TallyRun.run(arguments + ["--lang", "zh"], home: home, server: campaign.address, token: campaign.yinzhuToken)
        }
        let queued = try run(["report", "target", Campaign.target, "--add", "1"])
        XCTAssertEqual(queued.status, 75, queued.stdout + queued.stderr)
        XCTAssertTrue(queued.stdout.contains("已暂存，待发送"), queued.stdout)
        XCTAssertTrue(queued.stderr.hasPrefix("无法连接 \(campaign.address)：连接被拒绝"), queued.stderr)

        let listed = try run(["outbox"])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.contains("上次：无法连接 \(campaign.address)：连接被拒绝"), listed.stdout)

        let synced = try run(["sync"])
        XCTAssertEqual(synced.status, 75, synced.stdout + synced.stderr)
        XCTAssertTrue(synced.stderr.contains("无法连接 \(campaign.address)：连接被拒绝"), synced.stderr)
        for said in [queued.stderr, listed.stdout, synced.stderr] {
            XCTAssertFalse(said.contains("connection refused") || said.contains("cannot reach"), said)
        }
    }
}
