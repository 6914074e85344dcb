import Dispatch
import Foundation
import Synchronization
import TallyMessages

extension WatchHub {
    /// What the warnings checks still owe: nothing, the warnings a set of changes can move, or all.
    enum WarningCheck: Sendable {
        case none
        case scoped(WarningScope)
        case full

        /// Both checks in one: a full check covers any scoped one; two scopes cover their union.
        func merged(with other: WarningCheck) -> WarningCheck {
            switch (self, other) {
            case (.none, let other), (let other, .none): return other
            case (.full, _), (_, .full): return .full
            case (.scoped(let mine), .scoped(let theirs)):
                var union = mine
                union.departments.formUnion(theirs.departments)
                union.targets.formUnion(theirs.targets)
                union.projects.formUnion(theirs.projects)
                return .scoped(union)
            }
        }

        /// The check after `changes` (a plan change can move any warning: a full check).
        init(after changes: [ChangeRecord]) {
            self = WarningScope(changes).map(WarningCheck.scoped) ?? .full
        }

        var scope: WarningScope? {
            if case .scoped(let scope) = self { return scope }
            return nil
        }
    }

    /// The checks asked for, whether a thread is running them (see ``requestWarningCheck(_:)``),
    /// whether a later run after commits is due, and when the last run after commits started
    /// (``requestCommitWarningCheck(_:)``).
    struct WarningChecks {
        var owed = WarningCheck.none
        var running = false
        var scheduled = false
        var lastCommitCheck: ContinuousClock.Instant?
    }

    /// Least time between two checks after commits: at hundreds of commits a second one check then
    /// covers many (each costs a pass over the warnings in its scope), and a warning a commit starts
    /// or ends reaches watchers at most this much later.
    static let commitWarningCheckSpacing = Duration.milliseconds(50)

    /// The check after a commit, at most one per ``commitWarningCheckSpacing``: at once on the
    /// caller's thread when none ran for that long (a lone commit is checked as it always was),
    /// else owed to one run on the hub's warnings queue when the spacing is up, which covers every
    /// commit meanwhile (the writer's lane that published them goes on at once). Runs are
    /// ``requestWarningCheck(_:)``'s, so its guarantees hold: a warning event never follows a change
    /// after the sequence it names, and a late check still sees every threshold passed meanwhile.
    func requestCommitWarningCheck(_ check: WarningCheck) {
        let now = ContinuousClock.now
        let spacing = Self.commitWarningCheckSpacing
        let wait: Duration? = warningChecks.withLock { checks in
            checks.owed = checks.owed.merged(with: check)
            if checks.scheduled { return nil }  // the due run covers it
            if let last = checks.lastCommitCheck, now - last < spacing {
                checks.scheduled = true
                return spacing - (now - last)
            }
            checks.lastCommitCheck = now
            return .zero
        }
        guard let wait else { return }
        guard wait > .zero else { return requestWarningCheck(.none) }
        let microseconds = Int(wait / .microseconds(1))
        warningQueue.asyncAfter(deadline: .now() + .microseconds(microseconds)) { [weak self] in
            guard let self else { return }
            self.warningChecks.withLock { checks in
                checks.scheduled = false
                checks.lastCommitCheck = .now
            }
            self.requestWarningCheck(.none)
        }
    }

    /// Compares the warnings standing now with those of the last check and tells every watcher of
    /// each that started or ended. Called when the pinned clock moves, by the server's
    /// ``WarningTicker``, and (scoped to what they can move) shortly after pages of changes: warnings
    /// are a level (what stands at the instant), so a check that comes late still sees a threshold
    /// passed meanwhile; none is missed. The first check only notes what stands (a watcher's
    /// snapshot lists those).
    func checkWarnings() { requestWarningCheck(.full) }

    /// Runs `check`, outside the hub's lock so that publishing the next commit does not wait for
    /// it. Checks run one at a time: a thread that finds one running leaves its check owed to it
    /// (merged with what else is owed) and returns; the running thread goes on until nothing is owed.
    func requestWarningCheck(_ check: WarningCheck) {
        let runHere = warningChecks.withLock { checks in
            checks.owed = checks.owed.merged(with: check)
            if checks.running { return false }
            checks.running = true
            return true
        }
        guard runHere else { return }
        var tries = 0
        while true {
            let owed: WarningCheck? = warningChecks.withLock { checks in
                if case .none = checks.owed {
                    checks.running = false
                    return nil
                }
                defer { checks.owed = .none }
                return checks.owed
            }
            guard let owed else { return }
            tries += 1
            if runWarningCheck(owed, holdingLock: tries > Self.warningCheckTries) {
                tries = 0
            } else {
                warningChecks.withLock { $0.owed = $0.owed.merged(with: owed) }
            }
        }
    }

    /// Tries of a check outside the lock before one is run under it (every try was overtaken by a commit).
    static let warningCheckTries = 3

    /// One check. Outside the lock it is computed on a snapshot of the totals and delivered only if
    /// no commit was published meanwhile (so a warning event never follows a change after the
    /// sequence it names); returns false when one was. Under the lock it always completes.
    private func runWarningCheck(_ check: WarningCheck, holdingLock: Bool) -> Bool {
        let totals = self.totals
        if holdingLock {
            state.withLock { state in
                guard let found = Self.standingWarnings(totals, check) else { return }
                Self.deliverWarnings(found, check, to: &state)
            }
            return true
        }
        guard let found = Self.standingWarnings(totals, check) else { return true }
        return state.withLock { state in
            guard totals.sequence == found.context.state.sequence else { return false }
            Self.deliverWarnings(found, check, to: &state)
            return true
        }
    }

    /// The warnings standing now (all of them, or those in the check's scope), with what they were computed from.
    private static func standingWarnings(_ totals: LiveTotals, _ check: WarningCheck)
        -> (context: InsightContext, instant: Date, standing: [String: Tally_V1_Warning])?
    {
        let instant = totals.now()
        guard let context = totals.insight(of: nil, at: instant) else { return nil }
        let standing = Dictionary(context.warnings(in: check.scope).map { ($0.key, $0) }, uniquingKeysWith: { $1 })
        return (context, instant, standing)
    }

    /// Delivers an event for each warning that started or ended since the last check, and keeps
    /// what stands (outside a scoped check's scope, what stood before).
    private static func deliverWarnings(
        _ found: (context: InsightContext, instant: Date, standing: [String: Tally_V1_Warning]),
        _ check: WarningCheck, to state: inout State
    ) {
        var standing = found.standing
        guard let previous = state.warnings else {
            state.warnings = standing
            return
        }
        if let scope = check.scope {
            for (key, warning) in previous where !scope.covers(warning) && standing[key] == nil { standing[key] = warning }
        }
        let ended = previous.values.filter { standing[$0.key] == nil }.sorted { $0.key < $1.key }
        let started = standing.values.filter { previous[$0.key] == nil }.sorted { $0.key < $1.key }
        let sequence = found.context.state.sequence
        var deliveries: [Delivery] = []
        for (warning, didStart) in ended.map({ ($0, false) }) + started.map({ ($0, true) }) {
            var event = Tally_V1_WarningEvent()
            event.started = didStart
            event.warning = warning
            event.atUnixMs = CivilDate.milliseconds(of: found.instant)
            event.sequence = sequence
            var watchEvent = Tally_V1_WatchEvent()
            watchEvent.warning = event
            // Serializing a message built here cannot fail; if it did, the old set stays and the next check retries.
            guard let bytes = try? watchEvent.serializedBytes() as [UInt8] else { return }
            deliveries.append(Delivery(sequence: sequence, bytes: bytes, isChange: false,
                                       campaign: found.context.state.year))
        }
        state.warnings = standing
        state.deliver(deliveries)
    }
}
