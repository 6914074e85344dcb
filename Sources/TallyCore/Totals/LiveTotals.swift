import Foundation
import Synchronization
import TallyMessages

/// The central office's totals, kept in memory and moved change by change (never recomputed from SQL
/// per call). Rebuilt from the database when the server starts.
public final class LiveTotals: Sendable {
    /// The state and the readers waiting for it to reach a sequence, changed together.
    private struct Guarded {
        var state: PlanState
        /// Readers waiting for a sequence (``waitUntilIncludes(_:timeout:)``), by id.
        var waiters: [UInt64: (sequence: Int64, continuation: CheckedContinuation<Void, Never>)] = [:]
        var nextWaiterID: UInt64 = 0
        /// What the last ``LiveTotals/apply(_:)`` left in its change-event cache (it matches `state`),
        /// the instant it was computed at and the campaign it was for; the next apply reuses it for up
        /// to ``LiveTotals/cacheLifetime``, so a run of target reports costs no evaluation of the whole plan.
        var recent: (cache: ChangeEventCache, instant: Date, campaign: String)?

        /// Resumes the readers whose sequence the state now includes.
        mutating func wakeWaiters() {
            guard !waiters.isEmpty else { return }
            for (id, waiter) in waiters where waiter.sequence <= state.sequence {
                waiters.removeValue(forKey: id)
                waiter.continuation.resume()
            }
        }
    }

    private let guarded: Mutex<Guarded>
    /// The campaign of each record, apart from `guarded` (``CampaignIndex``).
    private let campaigns: Mutex<CampaignIndex>
    let builder: DashboardBuilder
    /// The server's "now" pinned for demos and tests (``TallyServerConfiguration/pinnedNow``); nil is
    /// the wall clock. Moved only by ``pin(_:)`` (tests and the demo advance it).
    private let pinned: Mutex<Date?>
    /// Thresholds of the early warnings and where 调度 inputs come from (see ``LiveTotals/insight(of:at:)``).
    let rules: WarningRules
    let dispatchSource = Mutex<(any DispatchInputSource)?>(nil)

    /// How long one evaluation of every target serves later applies (the elapsed share of the year,
    /// which moves the other targets' standing, moves by a few millionths in that time).
    static let cacheLifetime: TimeInterval = 1

    init(state: PlanState, builder: DashboardBuilder, pinnedNow: Date?, rules: WarningRules = WarningRules()) {
        self.guarded = Mutex(Guarded(state: state))
        self.campaigns = Mutex(CampaignIndex(state))
        self.builder = builder
        self.pinned = Mutex(pinnedNow)
        self.rules = rules
    }

    private var pinnedNow: Date? { pinned.withLock { $0 } }

    /// Pins the server's now to `date` (demos and tests move a pinned clock forward with it).
    func pin(_ date: Date) { pinned.withLock { $0 = date } }

    /// The instant a view is computed at: the requested date, else the server's now.
    func now(_ requested: Date? = nil) -> Date { requested ?? pinnedNow ?? Date() }

    /// Whether the server's now is pinned (demos, tests): the log's times are then the wall clock's,
    /// so a view's date sets only the elapsed fraction and is not replayed.
    var isPinned: Bool { pinnedNow != nil }

    /// The reporting period writes belong to when they name none: the month of the pinned now when
    /// there is one, else nil: the database takes the CST month of the moment it accepts the write
    /// (`tally_cst_month(clock_timestamp())`), which is the campaign clock.
    var defaultPeriod: String? { pinnedNow.map { CampaignCalendar().monthPeriod(of: $0) } }

    /// The campaign of a target, project or batch ("2023"); nil for an unknown id.
    func campaign(ofTarget id: String) -> String? { campaigns.withLock { $0.targets[id] } }
    func campaign(ofProject id: String) -> String? { campaigns.withLock { $0.projects[id] } }
    func campaign(ofBatch id: String) -> String? { campaigns.withLock { $0.batches[id] } }

    /// The change-log sequence the totals reflect.
    var sequence: Int64 { guarded.withLock { $0.state.sequence } }

    /// Waits (bounded) until the totals include `sequence`: commits are applied just after they are
    /// acknowledged, and a reader that was just acknowledged a write expects to see it. Woken by the
    /// apply that reaches `sequence`, or by the timeout.
    func waitUntilIncludes(_ sequence: Int64, timeout: Duration = .seconds(2)) async {
        let id: UInt64? = guarded.withLock { guarded in
            guard guarded.state.sequence < sequence else { return nil }
            guarded.nextWaiterID += 1
            return guarded.nextWaiterID
        }
        guard let id else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready: Bool = guarded.withLock { guarded in
                if guarded.state.sequence >= sequence { return true }
                guarded.waiters[id] = (sequence, continuation)
                return false
            }
            if ready { return continuation.resume() }
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                self?.guarded.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
            }
        }
    }

    /// Readers waiting in ``waitUntilIncludes(_:timeout:)`` (for tests).
    var waitingReaders: Int { guarded.withLock { $0.waiters.count } }

    /// A copy of the current state, for reads that need several records at once.
    var snapshot: PlanState { guarded.withLock { $0.state } }

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
        return withInsight(builder.dashboard(state.restricted(to: chosen), at: instant), state.restricted(to: chosen), at: instant)
    }

    /// The dashboard of the campaign running at the instant, or the latest finished (watch snapshots).
    func dashboard(asOf: Date? = nil) -> Tally_V1_Dashboard {
        let instant = now(asOf)
        let state = snapshot.restricted(to: CampaignChoice.defaultCampaign(in: snapshot, at: instant))
        return withInsight(builder.dashboard(state, at: instant), state, at: instant)
    }

    /// Applies committed changes in order and returns the events watchers receive, one per change.
    /// One instant and one evaluation of the plan serve the whole run, so a page of target reports
    /// costs one target evaluation per change rather than one of every target. Stops at the first
    /// change that cannot be applied: the events so far come back with that error.
    func apply(_ changes: [ChangeRecord]) -> (events: [Tally_V1_ChangeEvent], error: (any Error)?) {
        let instant = now()
        let builder = self.builder
        return guarded.withLock { guarded in
            var events: [Tally_V1_ChangeEvent] = []
            events.reserveCapacity(changes.count)
            // With several campaigns, an event's totals are those of the change's own campaign (of the
            // one watchers see by default for a change that belongs to none); the cache follows it.
            let byDefault = CampaignChoice.defaultCampaign(in: guarded.state, at: instant)
            var campaign = byDefault
            var cache: ChangeEventCache?
            // When the cache's evaluation of every target was made (a kept one's, or this apply's).
            var evaluatedAt = instant
            if let recent = guarded.recent, recent.campaign == campaign, instant >= recent.instant,
               instant.timeIntervalSince(recent.instant) < Self.cacheLifetime {
                cache = recent.cache
                evaluatedAt = recent.instant
            }
            guarded.recent = nil
            let several = guarded.state.campaignCodes.count > 1
            for change in changes {
                do {
                    try guarded.state.apply(change)
                } catch {
                    if CampaignIndex.isMoved(by: changes) { refreshCampaigns(from: guarded.state) }
                    guarded.wakeWaiters()
                    return (events, error)
                }
                let own = several ? guarded.state.campaign(of: change) ?? byDefault : byDefault
                if own != campaign {
                    (campaign, cache) = (own, nil)
                }
                let seen = several ? guarded.state.restricted(to: own) : guarded.state
                if change.kind != .target || cache == nil { evaluatedAt = instant }  // such a change evaluates every target again
                var event = builder.changeEvent(for: change, in: seen, at: instant, reusing: &cache)
                event.campaign = own
                events.append(event)
            }
            if let cache { guarded.recent = (cache, evaluatedAt, campaign) }
            if CampaignIndex.isMoved(by: changes) { refreshCampaigns(from: guarded.state) }
            guarded.wakeWaiters()
            return (events, nil)
        }
    }

    /// Replaces the state with `fresh`, reloaded from the database, and returns the events for
    /// `changes` (those `fresh` includes beyond the old state), each built on the reloaded totals.
    func replace(with fresh: PlanState, announcing changes: [ChangeRecord]) -> [Tally_V1_ChangeEvent] {
        let instant = now()
        let builder = self.builder
        return guarded.withLock { guarded in
            guarded.state = fresh
            refreshCampaigns(from: fresh)
            guarded.recent = nil
            guarded.wakeWaiters()
            let state = guarded.state
            let byDefault = CampaignChoice.defaultCampaign(in: state, at: instant)
            return changes.map { change in
                // Each with its own campaign's totals (as ``apply(_:)`` builds them), one evaluation each.
                let own = state.campaign(of: change) ?? byDefault
                var event = builder.changeEvent(for: change, in: state.restricted(to: own), at: instant)
                event.campaign = own
                return event
            }
        }
    }

    /// Rebuilds the campaign index from `state` (called under `guarded`, before readers are woken).
    private func refreshCampaigns(from state: PlanState) {
        let index = CampaignIndex(state)
        campaigns.withLock { $0 = index }
    }
}
