import Foundation

/// Where an instant falls in the campaign: running (the month it is in is the reporting period), or
/// finished (the campaign's last month stays the period, and the dashboard is its final state).
///
/// The instant is the view's date (a dashboard's `as_of`, else the server's now), never a clock of its own.
struct CampaignPhase: Sendable, Hashable {
    /// The campaign's year period ("2023"); nil when the plan has none.
    var campaign: PeriodRecord?
    /// The instant the view is computed at.
    var instant: Date
    var calendar: CampaignCalendar

    init(state: PlanState, at instant: Date, calendar: CampaignCalendar) {
        self.campaign = state.period(state.year, calendar: calendar)
        self.instant = instant
        self.calendar = calendar
    }

    /// The campaign had ended at the instant (the year period's end is exclusive).
    var finished: Bool { campaign.map { instant >= $0.endsAt } ?? false }

    /// The month the view reports on: the instant's own while running, the campaign's last month once finished.
    var reportingPeriod: String {
        guard finished, let campaign else { return calendar.monthPeriod(of: instant) }
        return calendar.monthPeriod(of: campaign.endsAt.addingTimeInterval(-0.001))
    }
}
