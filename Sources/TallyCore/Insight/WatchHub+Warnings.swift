import Foundation
import TallyMessages

extension WatchHub {
    /// Compares the warnings standing now with those of the last check and tells every watcher of
    /// each that started or ended. Called after every page of changes, when the pinned clock moves,
    /// and by the server's ``WarningTicker``: warnings are a level (what stands at the instant), so a
    /// check that comes late still sees a threshold passed meanwhile; none is missed. The first
    /// check only notes what stands (a watcher's snapshot lists those).
    func checkWarnings() {
        let totals = self.totals
        state.withLock { state in
            do {
                try Self.checkWarnings(totals, &state)
            } catch {
                // Serializing a message we built cannot fail; keep the old set so the next check retries.
            }
        }
    }

    /// Checks the warnings (all of them, or with `changes` only those the changes can move) and
    /// delivers an event for each that started or ended.
    static func checkWarnings(_ totals: LiveTotals, _ state: inout State, after changes: [ChangeRecord]? = nil) throws {
        let instant = totals.now()
        guard let context = totals.insight(of: nil, at: instant) else { return }
        let scope = changes.flatMap(WarningScope.init)
        var standing = Dictionary(context.warnings(in: scope).map { ($0.key, $0) }, uniquingKeysWith: { $1 })
        guard let previous = state.warnings else {
            state.warnings = standing
            return
        }
        if let scope {
            for (key, warning) in previous where !scope.covers(warning) && standing[key] == nil { standing[key] = warning }
        }
        let ended = previous.values.filter { standing[$0.key] == nil }.sorted { $0.key < $1.key }
        let started = standing.values.filter { previous[$0.key] == nil }.sorted { $0.key < $1.key }
        state.warnings = standing
        let sequence = context.state.sequence
        for (warning, didStart) in ended.map({ ($0, false) }) + started.map({ ($0, true) }) {
            var event = Tally_V1_WarningEvent()
            event.started = didStart
            event.warning = warning
            event.atUnixMs = CivilDate.milliseconds(of: instant)
            event.sequence = sequence
            var watchEvent = Tally_V1_WatchEvent()
            watchEvent.warning = event
            state.deliver([Delivery(sequence: sequence, bytes: try watchEvent.serializedBytes(), isChange: false,
                                    campaign: context.state.year)])
        }
    }
}
