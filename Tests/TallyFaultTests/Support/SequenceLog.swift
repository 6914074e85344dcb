import Foundation
import TallyClient
import TallyMessages

/// The change sequences a watcher received, to check that nothing was lost or doubled.
final class SequenceLog: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var changes: [Int64] = []
    private var snapshot: Int64?
    private var reconnects = 0

    func add(_ event: Tally_V1_WatchEvent) {
        lock.withLock {
            switch event.event {
            case .snapshot(let dashboard): if snapshot == nil { snapshot = dashboard.sequence }
            case .change(let change): changes.append(change.change.sequence)
            case nil: break
            }
        }
    }

    func reconnected() { lock.withLock { reconnects += 1 } }
    var reconnectCount: Int { lock.withLock { reconnects } }
    var start: Int64? { lock.withLock { snapshot } }
    var received: [Int64] { lock.withLock { changes } }
    var highest: Int64 { lock.withLock { changes.last ?? snapshot ?? 0 } }

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
