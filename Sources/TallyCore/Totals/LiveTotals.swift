import Foundation
import TallyMessages

/// The central office's totals, kept in memory and moved change by change (never recomputed from SQL
/// per call). Rebuilt from the database when the server starts.
public final class LiveTotals: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var state: PlanState
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

    /// Waits (briefly, bounded) until the totals include `sequence`: the change feed applies commits
    /// asynchronously, and a reader that was just acknowledged a write expects to see it.
    func waitUntilIncludes(_ sequence: Int64, timeout: Duration = .seconds(2)) async {
        let deadline = ContinuousClock.now + timeout
        while self.sequence < sequence && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(1))
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
                    return (events, error)
                }
                let seen = several ? state.restricted(to: campaign) : state
                events.append(builder.changeEvent(for: change, in: seen, at: instant, reusing: &cache))
            }
            return (events, nil)
        }
    }
}
