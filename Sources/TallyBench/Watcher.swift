import Foundation
import Synchronization
import TallyMessages
import TallyRPC

/// What one watcher received: every change's sequence with its receipt time, and whether the
/// sequences were contiguous, each once, in order.
struct WatcherLog: Sendable {
    var index: Int
    /// (sequence, receipt time in monotonic ns).
    var received: [(Int64, UInt64)] = []
    /// Changes that did not follow the previous one (a gap, a repeat or out of order).
    var outOfOrder = 0
    var firstProblem: String?
    /// The stream ended with an error other than our cancellation.
    var streamError: String?
    var lastSequence: Int64
}

/// The progress of every watcher, shared with the coordinator.
final class WatchProgress: Sendable {
    private struct State {
        var last: [Int64]
        var subscribed: [Bool]
        var final: Int64 = .max
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(last: Array(repeating: 0, count: count), subscribed: Array(repeating: false, count: count)))
    }

    func markSubscribed(_ index: Int) { state.withLock { $0.subscribed[index] = true } }
    func update(_ index: Int, _ sequence: Int64) { state.withLock { $0.last[index] = sequence } }
    func setFinal(_ sequence: Int64) { state.withLock { $0.final = sequence } }

    /// Waits until every watcher's call is open (it answered a first read or the server accepted it).
    func waitUntilSubscribed(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while !state.withLock({ $0.subscribed.allSatisfy { $0 } }) {
            guard ContinuousClock.now < deadline else { throw BenchError("watchers could not subscribe within \(timeout)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits until every watcher has seen the final sequence; false on timeout.
    func waitUntilAllReached(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if state.withLock({ state in state.last.allSatisfy { $0 >= state.final } }) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}

/// One central-office watcher.
enum Watcher {
    static func run(client: RPCClient, token: String, index: Int, after: Int64, progress: WatchProgress) async
        -> WatcherLog
    {
        var log = WatcherLog(index: index, lastSequence: after)
        log.received.reserveCapacity(300_000)
        do {
            // The dashboard call proves the credential works and the connection is up; the watch
            // call then opens on that connection (events after `after` come from the server's ring).
            let metadata = ["authorization": "Bearer \(token)"]
            _ = try await client.unary(Tally_V1_Oversight.Method.getDashboard, Tally_V1_DashboardRequest(),
                                       metadata: metadata, timeout: .seconds(30))
            progress.markSubscribed(index)
            var request = Tally_V1_WatchRequest()
            request.afterSequence = after
            let events = client.serverStreamingBytes(Tally_V1_Oversight.Method.watch.path, request, metadata: metadata)
            while let event = try await events.next() {
                guard let sequence = BenchWatchEvent.sequence(inWatchEvent: event) else { continue }
                let now = Monotonic.nanos()
                if sequence != log.lastSequence + 1 {
                    log.outOfOrder += 1
                    if log.firstProblem == nil {
                        log.firstProblem = "after sequence \(log.lastSequence) came \(sequence)"
                    }
                }
                log.received.append((sequence, now))
                log.lastSequence = max(log.lastSequence, sequence)
                progress.update(index, log.lastSequence)
            }
        } catch is CancellationError {
        } catch {
            if !Task.isCancelled { log.streamError = "\(error)" }
        }
        return log
    }
}
