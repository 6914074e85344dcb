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

    /// Applies one committed change and returns the event watchers receive.
    func apply(_ change: ChangeRecord) throws -> Tally_V1_ChangeEvent {
        let instant = now()
        return try lock.withLock {
            try state.apply(change)
            return builder.changeEvent(for: change, in: state, at: instant)
        }
    }
}
