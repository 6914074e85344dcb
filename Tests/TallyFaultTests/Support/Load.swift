import Foundation
import Synchronization
import TallyClient
import TallyServerTestSupport
import TallyStore
import TallyWire
import XCTest

/// What the load's clients sent and what the server acknowledged.
final class Ledger: Sendable {
    private struct State {
        var acknowledged: [String: String] = [:]  // request id -> target
        var sent: [String: String] = [:]
        var unexpected: [String] = []
        var retries = 0
        var stopped = false
    }

    private let state = Mutex(State())

    func sending(_ id: String, _ target: String) { state.withLock { $0.sent[id] = target } }
    func acknowledge(_ id: String, _ target: String) { state.withLock { $0.acknowledged[id] = target } }
    func retried() { state.withLock { $0.retries += 1 } }
    func fail(_ message: String) { state.withLock { $0.unexpected.append(message) } }
    func stop() { state.withLock { $0.stopped = true } }
    var stopped: Bool { state.withLock { $0.stopped } }
    var acked: [String: String] { state.withLock { $0.acknowledged } }
    var attempted: [String: String] { state.withLock { $0.sent } }
    var errors: [String] { state.withLock { $0.unexpected } }
    var retryCount: Int { state.withLock { $0.retries } }
}

/// Department clients that each increment their targets by 1 in a loop, every update with a fresh
/// request id, retrying an update with the SAME id on UNAVAILABLE or DEADLINE_EXCEEDED.
struct DepartmentLoad {
    var clients: [(client: TallyClient, targets: [String], name: String)]
    /// Pause between a client's updates (nil: as fast as it can).
    var pause: Duration?
    /// A retried update gives up after this long (the test then reports it as never acknowledged).
    var giveUpAfter: Duration = .seconds(60)

    /// Runs until `ledger.stop()`; each client finishes (or gives up) its current update first.
    func run(_ ledger: Ledger) async {
        await withTaskGroup(of: Void.self) { group in
            for (index, entry) in clients.enumerated() {
                group.addTask {
                    var n = 0
                    while !ledger.stopped {
                        n += 1
                        let target = entry.targets[n % entry.targets.count]
                        let id = "\(entry.name)-\(index)-\(n)-\(UUID().uuidString.prefix(8))"
                        await send(entry.client, target, id, ledger)
                        if let pause { try? await Task.sleep(for: pause) }
                    }
                }
            }
        }
    }

    private func send(_ client: TallyClient, _ target: String, _ id: String, _ ledger: Ledger) async {
        ledger.sending(id, target)
        let deadline = ContinuousClock.now + giveUpAfter
        while ContinuousClock.now < deadline {
            do {
                let response = try await client.reportTarget(Requests.increment(target, id: id))
                guard response.sequence > 0 else {
                    ledger.fail("\(id): acknowledged without a sequence")
                    return
                }
                ledger.acknowledge(id, target)
                return
            } catch let error as RPCError where error.code == .unavailable || error.code == .deadlineExceeded {
                ledger.retried()
                try? await Task.sleep(for: .milliseconds(50))
            } catch {
                ledger.fail("\(id): \(error)")
                return
            }
        }
    }
}

/// The checks every fault test ends with: every acknowledged update is in the database exactly once,
/// nothing is there twice, and the figures equal their starting values plus the updates logged.
enum Accounting {
    static func verify(_ database: PostgresConfiguration, ledger: Ledger, before: [String: Decimal],
                       file: StaticString = #filePath, line: UInt = #line) throws -> (acked: Int, logged: Int) {
        let acked = ledger.acked
        let attempted = ledger.attempted
        XCTAssertEqual(ledger.errors, [], "unexpected errors", file: file, line: line)
        var logged: [String: Int] = [:]
        var loggedTarget: [String: String] = [:]
        for row in try DB.query(database,
            "SELECT request_id, count(*), min(subject_id) FROM change_log WHERE kind = 'target' AND request_id <> '' GROUP BY request_id").rows {
            let id = try row.decode(String.self, at: 0)
            logged[id] = Int(try row.decode(Int64.self, at: 1))
            loggedTarget[id] = try row.decode(String.self, at: 2)
        }
        let doubled = logged.filter { $0.value != 1 }
        XCTAssertEqual(doubled.count, 0, "request ids applied more than once: \(doubled.prefix(5))", file: file, line: line)
        let missing = acked.keys.filter { logged[$0] == nil }
        XCTAssertEqual(missing.count, 0, "acknowledged but absent: \(missing.prefix(5))", file: file, line: line)
        let strangers = logged.keys.filter { attempted[$0] == nil }
        XCTAssertEqual(strangers.count, 0, "logged but never sent: \(strangers.prefix(5))", file: file, line: line)
        let stored = try Int64(DB.int(database, "SELECT count(*) FROM requests WHERE request_id = ANY(string_to_array($1, ','))",
                                      [.text(Array(acked.keys).joined(separator: ","))]))
        XCTAssertEqual(Int(stored), acked.count, "every acknowledged request id is remembered once", file: file, line: line)
        let after = try DB.figures(database, Array(before.keys))
        for (target, start) in before {
            let count = loggedTarget.values.filter { $0 == target }.count
            XCTAssertEqual(after[target], start + Decimal(count),
                           "\(target): figure must be its start plus one per logged update", file: file, line: line)
        }
        return (acked.count, logged.count)
    }
}
