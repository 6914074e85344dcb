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
    /// The server's "now" pinned for demos and tests (``TallyServerConfiguration/pinnedNow``); nil is the wall clock.
    private let pinnedNow: Date?

    init(state: PlanState, builder: DashboardBuilder, pinnedNow: Date?) {
        self.state = state
        self.builder = builder
        self.pinnedNow = pinnedNow
    }

    /// The instant a view is computed at: the requested date, else the server's now.
    func now(_ requested: Date? = nil) -> Date { requested ?? pinnedNow ?? Date() }

    /// Whether the server's now is pinned (demos, tests): the log's times are then the wall clock's,
    /// so a view's date sets only the elapsed fraction and is not replayed.
    var isPinned: Bool { pinnedNow != nil }

    /// The reporting period writes belong to when they name none: the month of the pinned now when
    /// there is one, else nil: the database takes the CST month of the moment it accepts the write
    /// (`tally_cst_month(clock_timestamp())`), which is the campaign clock.
    var defaultPeriod: String? { pinnedNow.map { CampaignCalendar().monthPeriod(of: $0) } }

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

    /// The dashboard of a campaign at an instant; the campaign running then (or the latest finished)
    /// when none is named. nil when the named campaign does not exist.
    func dashboard(of campaign: String?, asOf: Date?) -> Tally_V1_Dashboard? {
        dashboard(of: campaign, state: snapshot, at: now(asOf))
    }

    /// The dashboard of a campaign (nil: the one running at the instant, else the latest finished) from
    /// a given state, such as one replayed to a past date; nil when the campaign does not exist.
    func dashboard(of campaign: String?, state: PlanState, at instant: Date) -> Tally_V1_Dashboard? {
        let chosen = campaign ?? CampaignChoice.defaultCampaign(in: state, at: instant)
        guard state.campaignCodes.contains(chosen) || state.campaignCodes.isEmpty else { return nil }
        return builder.dashboard(state.restricted(to: chosen), at: instant)
    }

    /// The dashboard of the campaign running at the instant, or the latest finished (watch snapshots).
    func dashboard(asOf: Date? = nil) -> Tally_V1_Dashboard {
        let instant = now(asOf)
        let state = snapshot
        return builder.dashboard(state.restricted(to: CampaignChoice.defaultCampaign(in: state, at: instant)), at: instant)
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
            // With several campaigns, an event's totals are those of the campaign watchers see by default.
            let campaign = CampaignChoice.defaultCampaign(in: state, at: instant)
            let several = state.campaignCodes.count > 1
            for change in changes {
                do {
                    try state.apply(change)
                } catch {
                    wakeWaiters()
                    return (events, error)
                }
                let seen = several ? state.restricted(to: campaign) : state
                events.append(builder.changeEvent(for: change, in: seen, at: instant, reusing: &cache))
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
