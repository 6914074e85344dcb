import Foundation
import Synchronization
import TallyClient
import TallyMessages

/// The change sequences a watcher received, to check that nothing was lost or doubled.
final class SequenceLog: Sendable {
    private struct State {
        var changes: [Int64] = []
        var snapshot: Int64?
        var reconnects = 0
    }

    private let state = Mutex(State())

    func add(_ event: Tally_V1_WatchEvent) {
        state.withLock { state in
            switch event.event {
            case .snapshot(let dashboard): if state.snapshot == nil { state.snapshot = dashboard.sequence }
            case .change(let change): state.changes.append(change.change.sequence)
            case .warning, nil: break
            }
        }
    }

    func reconnected() { state.withLock { $0.reconnects += 1 } }
    var reconnectCount: Int { state.withLock { $0.reconnects } }
    var start: Int64? { state.withLock { $0.snapshot } }
    var received: [Int64] { state.withLock { $0.changes } }
    var highest: Int64 { state.withLock { $0.changes.last ?? $0.snapshot ?? 0 } }

    /// Problems: sequences out of order, doubled, or missing between the snapshot and `through`.
    func gaps(after start: Int64, through end: Int64) -> [String] {
        let all = received
        var problems: [String] = []
        let doubled = Dictionary(grouping: all, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        if !doubled.isEmpty { problems.append("doubled: \(doubled.prefix(10))") }
        if all != all.sorted() { problems.append("out of order") }
        let missing = Set((start + 1)...max(start + 1, end)).subtracting(all).sorted()
        if end > start && !missing.isEmpty { problems.append("missing \(missing.count): \(missing.prefix(10))") }
        return problems
    }
}
