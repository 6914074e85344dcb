import Foundation
import TallyOutbox
import XCTest

/// The outbox file survives a crash: `tally report` killed with SIGKILL at random moments while it
/// writes its item (between the write and the fsync, or anywhere else), 50 times. No item whose
/// "queued" was printed is lost, the file always opens, and none is delivered twice.
final class OutboxCrashTests: XCTestCase {
    func testOutboxSurvivesSigkillDuringWritesIn50Runs() async throws {
        let (campaign, home, before) = try Campaign.offline()
        let arguments = { (index: Int) in
            ["report", "target", Campaign.target, "--add", "1", "--request-id", "crash-\(index)"]
        }

        // The kills fall at random moments of a run's life: the bound adapts, shrinking after a run
        // that finished first and growing after one that was killed, so that about half are killed
        // (from exec to exit, the outbox write and its fsync among them) whatever the machine's speed.
        var printedQueued: Set<String> = []
        var killed = 0
        var bound = Duration.milliseconds(60)
        for index in 1...50 {
            let run = try TallyRun(arguments(index), home: home, server: campaign.address, token: campaign.yinzhuToken)
            // A deliberate random moment in the process's life, not a wait for something to happen.
            try await Task.sleep(for: bound * Double.random(in: 0...1))
            run.kill()
            let result = run.wait()
            if result.killed {
                killed += 1
                bound = bound * 1.15
            } else {
                XCTAssertEqual(result.status, 75, result.stdout + result.stderr)
                bound = bound * 0.8
            }
            if result.stdout.contains("queued, #") { printedQueued.insert("crash-\(index)") }
        }
        XCTAssertGreaterThan(killed, 0, "some runs must have been killed")

        let outbox = try Outbox(path: home.appendingPathComponent("outbox.sqlite").path)
        let stored = try outbox.items(Set(OutboxItem.State.allCases))
        let storedIDs = Set(stored.map(\.write.requestID))
        XCTAssertEqual(stored.count, storedIDs.count, "each request id once in the file")
        XCTAssertTrue(printedQueued.isSubset(of: storedIDs), "lost: \(printedQueued.subtracting(storedIDs).sorted())")
        XCTAssertTrue(stored.allSatisfy { $0.state == .queued }, "the server was down: nothing delivered, nothing failed")

        try campaign.startServer()
        let sync = try TallyRun.run(["sync"], home: home, server: campaign.address, token: campaign.yinzhuToken)
        XCTAssertEqual(sync.status, 0, sync.stdout + sync.stderr)
        XCTAssertEqual(try campaign.logged("crash-"), Int64(stored.count))
        XCTAssertEqual(try campaign.doubled("crash-"), 0)
        XCTAssertEqual(try campaign.figure(), before + Decimal(stored.count))
        XCTAssertEqual(try outbox.items([.delivered]).count, stored.count)
        print("outbox crash loop: 50 runs, \(killed) killed by SIGKILL, \(printedQueued.count) printed queued, \(stored.count) stored and delivered once each")
    }
}
