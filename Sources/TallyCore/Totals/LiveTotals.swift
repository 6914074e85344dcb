import Foundation
import TallyMessages

/// The central office's totals, kept in memory and moved change by change (never recomputed from SQL
/// per call). Rebuilt from the database when the server starts.
public final class LiveTotals: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var state: PlanState
    /// Readers waiting for a sequence (``waitUntilIncludes(_:timeout:)``), by id.
    private var waiters: [UInt64: (sequence: Int64, continuation: CheckedContinuation<Void, Never>)] = [:]
    private var nextWaiterID: UInt64 = 0
    private let builder: DashboardBuilder
    /// The instant used for elapsed time when a request names none; nil means the wall clock.
    private let clock: Date?

    init(state: PlanState, builder: DashboardBuilder, clock: Date?) {
        self.state = state
        self.builder = builder
        self.clock = clock
    }

    /// The instant dashboards are computed at.
    func now(_ requested: Date? = nil) -> Date { requested ?? clock ?? Date() }

    /// The reporting period writes belong to when they name none: the month of the campaign clock
    /// when one is set (a server looking at a past campaign), else nil (the database uses today's month).
    var defaultPeriod: String? { clock.map { CampaignCalendar().monthPeriod(of: $0) } }

    /// The change-log sequence the totals reflect.
    var sequence: Int64 { lock.withLock { state.sequence } }

    /// Waits (bounded) until the totals include `sequence`: commits are applied just after they are
    /// acknowledged, and a reader that was just acknowledged a write expects to see it. Woken by the
    /// apply that reaches `sequence`, or by the timeout.
    func waitUntilIncludes(_ sequence: Int64, timeout: Duration = .seconds(2)) async {
        let id: UInt64? = lock.withLock {
            guard state.sequence < sequence else { return nil }
            nextWaiterID += 1
            return nextWaiterID
        }
        guard let id else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready: Bool = lock.withLock {
                if state.sequence >= sequence { return true }
                waiters[id] = (sequence, continuation)
                return false
            }
            if ready { return continuation.resume() }
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                self?.lock.withLock { self?.waiters.removeValue(forKey: id) }?.continuation.resume()
            }
        }
    }

    /// Readers waiting in ``waitUntilIncludes(_:timeout:)`` (for tests).
    var waitingReaders: Int { lock.withLock { waiters.count } }

    /// Resumes the readers whose sequence the state now includes. Caller holds `lock`.
    private func wakeWaiters() {
        guard !waiters.isEmpty else { return }
        for (id, waiter) in waiters where waiter.sequence <= state.sequence {
            waiters.removeValue(forKey: id)
            waiter.continuation.resume()
        }
    }

    /// A copy of the current state, for reads that need several records at once.
    var snapshot: PlanState { lock.withLock { state } }

    /// The dashboard at an instant.
    func dashboard(asOf: Date? = nil) -> Tally_V1_Dashboard {
        let instant = now(asOf)
        return lock.withLock { builder.dashboard(state, at: instant) }
    }

    /// Applies committed changes in order and returns the events watchers receive, one per change.
    /// One instant and one evaluation of the plan serve the whole run, so a page of target reports
    /// costs one target evaluation per change rather than one of every target. Stops at the first
    /// change that cannot be applied: the events so far come back with that error.
    func apply(_ changes: [ChangeRecord]) -> (events: [Tally_V1_ChangeEvent], error: (any Error)?) {
        let instant = now()
        return lock.withLock {
            var events: [Tally_V1_ChangeEvent] = []
            events.reserveCapacity(changes.count)
            var cache: ChangeEventCache?
            for change in changes {
                do {
                    try state.apply(change)
                } catch {
                    wakeWaiters()
                    return (events, error)
                }
                events.append(builder.changeEvent(for: change, in: state, at: instant, reusing: &cache))
            }
            wakeWaiters()
            return (events, nil)
        }
    }

    /// Replaces the state with `fresh`, reloaded from the database, and returns the events for
    /// `changes` (those `fresh` includes beyond the old state), each built on the reloaded totals.
    func replace(with fresh: PlanState, announcing changes: [ChangeRecord]) -> [Tally_V1_ChangeEvent] {
        let instant = now()
        return lock.withLock {
            state = fresh
            wakeWaiters()
            var cache: ChangeEventCache?
            return changes.map { builder.changeEvent(for: $0, in: state, at: instant, reusing: &cache) }
        }
    }
}
