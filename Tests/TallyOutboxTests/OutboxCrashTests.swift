import Foundation
import TallyOutbox
import XCTest

/// The outbox file survives a crash: `tally report` killed with SIGKILL at random moments while it
/// writes its item (between the write and the fsync, or anywhere else), 50 times. No item whose
/// "queued" was printed is lost, the file always opens, and none is delivered twice.
final class OutboxCrashTests: XCTestCase {
    func testOutboxSurvivesSigkillDuringWritesIn50Runs() async throws {
        let campaign = try Campaign()
        let home = try freshHome()
        let before = try campaign.figure()
        campaign.stopServer()
        let arguments = { (index: Int) in
            ["report", "target", Campaign.target, "--add", "1", "--request-id", "crash-\(index)"]
        }

        // How long one queued report takes from exec to exit: the kills fall anywhere in it.
        let started = ContinuousClock.now
        let calibration = try TallyRun.run(arguments(0), home: home, server: campaign.address, token: campaign.yinzhuToken)
        XCTAssertEqual(calibration.status, 75, calibration.stdout + calibration.stderr)
        let span = ContinuousClock.now - started

        var printedQueued: Set<String> = ["crash-0"]
        var killed = 0
        for index in 1...50 {
            let run = try TallyRun(arguments(index), home: home, server: campaign.address, token: campaign.yinzhuToken)
            // A deliberate random moment in the process's life, not a wait for something to happen.
            try await Task.sleep(for: span * Double.random(in: 0...1.2))
            run.kill()
            let result = run.wait()
            if result.killed {
                killed += 1
            } else {
                XCTAssertEqual(result.status, 75, result.stdout + result.stderr)
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
        print("outbox crash loop: 51 runs, \(killed) killed by SIGKILL, \(printedQueued.count) printed queued, \(stored.count) stored and delivered once each")
    }
}
