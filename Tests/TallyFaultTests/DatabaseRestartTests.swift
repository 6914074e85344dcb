import Foundation
import TallyClient
import TallyCore
import TallyStore
import TallyWire
import TallyServerTestSupport
import XCTest

/// PostgreSQL restarted (fast, then immediate) under load, on a cluster of the test's own.
final class DatabaseRestartTests: XCTestCase {
    func testPostgresFastAndImmediateRestartsMidLoad() async throws {
        let own = try OwnCluster()
        defer { own.destroy() }
        let server = try await TallyTestServer.start(database: own.database)
        let before = try DB.figures(own.database, Plan.marineTargets + Plan.yinzhuTargets)

        let load = WatchedLoad(server)
        let seen = load.seen
        let ledger = load.ledger
        let probe = server.client(server.marineToken, timeout: .seconds(5))
        let central = server.client(server.centralToken, timeout: .seconds(5))

        try await waitFor("first acknowledgements") { ledger.acked.count >= 20 }
        for mode in ["fast", "immediate"] {
            try own.stop(mode: mode)
            // During the outage: writes and database reads fail with UNAVAILABLE before their deadline.
            for attempt in 0..<3 {
                let id = "probe-\(mode)-down-\(attempt)"
                ledger.sending(id, Plan.marineTargets[0])
                let started = ContinuousClock.now
                await assertStatus(.unavailable, "write while PostgreSQL is down (\(mode))") {
                    try await probe.reportTarget(Requests.increment(Plan.marineTargets[0], id: id))
                }
                await assertStatus(.unavailable, "ListMine while PostgreSQL is down (\(mode))") { try await probe.listMine() }
                print("\(mode): failed call took \(ContinuousClock.now - started) (deadline 5 s)")
            }
            // Dashboards come from memory: they work, or (when the credential cache was emptied by a
            // reconnect of the change feed and the token must be looked up) fail fast with UNAVAILABLE.
            do {
                let dashboard = try await central.dashboard()
                XCTAssertGreaterThan(dashboard.sequence, 0)
            } catch let error as RPCError {
                XCTAssertEqual(error.code, .unavailable, "dashboard during the \(mode) outage: \(error)")
            }

            try own.start()
            let restarted = ContinuousClock.now
            let id = "probe-\(mode)-up"
            ledger.sending(id, Plan.marineTargets[0])
            var recovered = false
            while !recovered, ContinuousClock.now - restarted < .seconds(30) {
                do {
                    _ = try await probe.reportTarget(Requests.increment(Plan.marineTargets[0], id: id))
                    ledger.acknowledge(id, Plan.marineTargets[0])
                    _ = try await probe.listMine()
                    recovered = true
                } catch let error as RPCError where error.code == .unavailable {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            XCTAssertTrue(recovered, "writer and pool did not recover within 30 s after the \(mode) restart")
            let writeRecovery = ContinuousClock.now - restarted
            let ackedNow = ledger.acked.count
            try await waitFor("load to resume after the \(mode) restart") { ledger.acked.count >= ackedNow + 20 }
            // The LISTEN connection recovered: the watcher sees the latest commit.
            let latest = try DB.int(own.database, "SELECT max(sequence) FROM change_log")
            try await waitFor("the watcher to see sequence \(latest) after the \(mode) restart") { seen.highest >= latest }
            print("\(mode) restart: writes and reads recovered \(writeRecovery) after PostgreSQL came back; watcher caught up \(ContinuousClock.now - restarted) after")
        }
        await load.stopWriting()
        let last = try DB.int(own.database, "SELECT max(sequence) FROM change_log")
        try await waitFor("the watcher to see the last sequence \(last)") { seen.highest >= last }
        load.stopWatching()
        await server.stop()

        let figures = try Accounting.verify(own.database, ledger: ledger, before: before)
        let start = try XCTUnwrap(seen.start, "the watcher got no snapshot")
        XCTAssertEqual(seen.gaps(after: start, through: last), [], "the watcher missed or doubled changes")
        print("postgres restarts: \(figures.acked) acknowledged, \(figures.logged) logged, \(ledger.retryCount) retries, watcher saw \(seen.received.count) changes")
    }
}
