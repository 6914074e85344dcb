import Foundation
import TallyClient
import TallyCore
import TallyServerTestSupport
import TallyStore
import TallyTestSupport
import TallyWire
import XCTest

/// The long run: `TALLY_SOAK_SECONDS=600 swift test --filter TallyFaultTests.SoakTests` (deploy/soak.sh).
/// Measures the maximum update rate of the real `tally serve` for 10 s, then runs at half of it with
/// watchers connected and reports RSS over time, errors and the accounting of every update.
/// CI does not set the variable; the test then only checks that its measuring works (3 s).
final class SoakTests: XCTestCase {
    func testSoakAtHalfTheMaximumRate() async throws {
        let seconds = Int(ProcessInfo.processInfo.environment["TALLY_SOAK_SECONDS"] ?? "") ?? 3
        let database = try TestDatabase.fresh()
        let server = try ServeProcess(database: database.conninfo)
        defer { server.stop() }
        let store = CredentialStore(configuration: database)
        let marine = try store.create(name: "marine", role: .department, department: "marine-hitech").token
        let yinzhu = try store.create(name: "yinzhu", role: .department, department: "yinzhu").token
        let central = try store.create(name: "central", role: .central, department: nil).token
        let before = try DB.figures(database, Plan.marineTargets + Plan.yinzhuTargets)
        let clients = (0..<4).flatMap { index in [
            (client: TallyClient(host: "127.0.0.1", port: server.port, token: marine, callTimeout: .seconds(10)), targets: Plan.marineTargets, name: "m\(index)"),
            (client: TallyClient(host: "127.0.0.1", port: server.port, token: yinzhu, callTimeout: .seconds(10)), targets: Plan.yinzhuTargets, name: "y\(index)"),
        ] }
        let watchers = (0..<3).map { _ in SequenceLog() }
        let watching = watchers.map { log in
            Task {
                let client = TallyClient(host: "127.0.0.1", port: server.port, token: central, callTimeout: .seconds(10))
                for try await event in client.watchResuming(onReconnect: { _ in log.reconnected() }) { log.add(event) }
            }
        }
        // Phase 1: the maximum rate.
        let probe = Ledger()
        let measuring = Task { await DepartmentLoad(clients: clients, pause: nil).run(probe) }
        let measureSeconds = seconds >= 60 ? 10 : 1
        try await Task.sleep(for: .seconds(measureSeconds))
        probe.stop()
        await measuring.value
        let maxRate = Double(probe.acked.count) / Double(measureSeconds)
        // Phase 2: half of it.
        let rate = maxRate / 2
        let pause = Duration.milliseconds(Int(1000 * Double(clients.count) / max(rate, 1)))
        let ledger = Ledger()
        let running = Task { await DepartmentLoad(clients: clients, pause: pause).run(ledger) }
        let started = ContinuousClock.now
        var samples: [(second: Int, kib: Int)] = []
        let marks = Set([1, 5, 10].map { $0 * 60 } + [seconds])
        var next = 0
        while ContinuousClock.now - started < .seconds(seconds) {
            try await Task.sleep(for: .seconds(1))
            next += 1
            if marks.contains(next) || next % 30 == 0 {
                samples.append((next, server.residentKiB ?? -1))
                print("soak t=\(next)s rss=\(samples.last?.kib ?? -1) KiB acked=\(ledger.acked.count) errors=\(ledger.errors.count)")
            }
        }
        ledger.stop()
        await running.value
        let achieved = Double(ledger.acked.count) / Double(seconds)
        let last = try DB.int(database, "SELECT max(sequence) FROM change_log")
        for log in watchers { try await waitFor("a watcher to reach \(last)") { log.highest >= last } }
        watching.forEach { $0.cancel() }
        // Both phases' updates are accounted for.
        let all = Ledger()
        for (id, target) in probe.acked.merging(ledger.acked, uniquingKeysWith: { $1 }) {
            all.sending(id, target)
            all.acknowledge(id, target)
        }
        for (id, target) in probe.attempted.merging(ledger.attempted, uniquingKeysWith: { $1 }) { all.sending(id, target) }
        for error in probe.errors + ledger.errors { all.fail(error) }
        let figures = try Accounting.verify(database, ledger: all, before: before)
        for log in watchers {
            XCTAssertEqual(log.gaps(after: try XCTUnwrap(log.start), through: last), [], "a watcher missed or doubled changes")
        }
        XCTAssertTrue(server.process.isRunning, "the server died during the soak")
        XCTAssertGreaterThan(samples.count, 0)
        print("SOAK: \(seconds) s at half of the maximum \(String(format: "%.0f", maxRate))/s (target \(String(format: "%.0f", rate))/s, achieved \(String(format: "%.1f", achieved))/s); \(figures.acked) acknowledged, \(figures.logged) logged, errors \(ledger.errors.count), retries \(ledger.retryCount); watchers \(watchers.count), reconnects \(watchers.map(\.reconnectCount)); RSS KiB \(samples.map { "t=\($0.second)s:\($0.kib)" }.joined(separator: " "))")
    }
}
