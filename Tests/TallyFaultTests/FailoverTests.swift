import Foundation
import TallyClient
import TallyCore
import TallyStore
import TallyWire
import TallyServerTestSupport
import XCTest

/// PostgreSQL with a synchronous streaming standby: the primary dies under retrying load, the standby
/// is promoted, and Tally (given both hosts in one URL) moves its pool, writer and change feed there
/// by itself. Nothing acknowledged is lost or doubled, and watchers resume without a gap.
final class FailoverTests: XCTestCase {
    func testPrimaryDiesStandbyIsPromotedAndTallyMovesToIt() async throws {
        let pair = try ReplicatedPair()
        defer { pair.destroy() }
        let server = try await TallyTestServer.start(database: pair.failoverURL)
        let before = try DB.figures(pair.primary.database, Plan.marineTargets + Plan.yinzhuTargets)

        let load = WatchedLoad(server)
        let seen = load.seen
        let ledger = load.ledger
        try await waitFor("first acknowledgements") { ledger.acked.count >= 30 }

        try pair.primary.stop(mode: "immediate")
        let ackedAtDeath = ledger.acked.count
        let probe = server.client(server.marineToken, timeout: .seconds(3))
        await assertStatus(.unavailable, "a write with the primary gone and the standby not yet promoted") {
            try await probe.reportTarget(Requests.increment(Plan.marineTargets[0], id: "probe-no-primary"))
        }
        ledger.sending("probe-no-primary", Plan.marineTargets[0])

        let promoting = ContinuousClock.now
        try pair.promoteStandby()
        let promoted = ContinuousClock.now
        var firstWrite: Duration?
        var attempt = 0
        while firstWrite == nil, ContinuousClock.now - promoted < .seconds(30) {
            attempt += 1
            let id = "probe-after-promotion-\(attempt)"
            ledger.sending(id, Plan.marineTargets[0])
            do {
                _ = try await probe.reportTarget(Requests.increment(Plan.marineTargets[0], id: id))
                ledger.acknowledge(id, Plan.marineTargets[0])
                firstWrite = ContinuousClock.now - promoted
            } catch let error as RPCError where error.code == .unavailable || error.code == .deadlineExceeded {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        let promotionToWrite = try XCTUnwrap(firstWrite, "no write was accepted within 30 s of the promotion")
        try await waitFor("the load to go on on the new primary") { ledger.acked.count >= ackedAtDeath + 40 }
        let poolSize = TallyServerConfiguration(database: pair.failoverURL).poolSize
        let reads = try await ConcurrentReads.listMine([probe], count: 3 * poolSize)
        XCTAssertEqual(reads.failures, [], "reads after the failover met dead pooled connections")

        await load.stopWriting()
        let newPrimary = pair.standby.database
        let last = try DB.int(newPrimary, "SELECT max(sequence) FROM change_log")
        try await waitFor("the watcher to see the last sequence \(last)") { seen.highest >= last }
        load.stopWatching()
        await server.stop()

        let figures = try Accounting.verify(newPrimary, ledger: ledger, before: before)
        let start = try XCTUnwrap(seen.start, "the watcher got no snapshot")
        XCTAssertEqual(seen.gaps(after: start, through: last), [], "the watcher missed or doubled changes")
        XCTAssertEqual(try DB.text(newPrimary, "SELECT pg_is_in_recovery()::text"), "false")
        print("""
            failover: promotion took \(promoted - promoting); first write accepted \(promotionToWrite) after the \
            promotion; \(figures.acked) acknowledged, \(figures.logged) logged on the new primary, \
            \(ledger.retryCount) retries, watcher saw \(seen.received.count) changes, \(seen.reconnectCount) reconnects
            """)
    }
}
