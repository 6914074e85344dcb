import Foundation
import TallyMessages

/// The central office's totals, kept in memory and moved change by change (never recomputed from SQL
/// per call). Rebuilt from the database when the server starts.
public final class LiveTotals: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var state: PlanState
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
                    return (events, error)
                }
                events.append(builder.changeEvent(for: change, in: state, at: instant, reusing: &cache))
            }
            return (events, nil)
        }
    }
}
