import Foundation

/// Which campaign a view shows when none is named: the one running at the instant, else the latest
/// that has finished, else the earliest (a database holding only future campaigns).
enum CampaignChoice {
    static func defaultCampaign(in state: PlanState, at instant: Date, calendar: CampaignCalendar = CampaignCalendar()) -> String {
        choose(among: years(in: state), at: instant) ?? state.year
    }

    /// The campaigns' year periods, earliest first (every year period before campaigns were recorded).
    static func years(in state: PlanState) -> [PeriodRecord] {
        state.periods.values.filter { $0.kind == .year }
            .filter { state.campaigns.isEmpty || state.campaigns[$0.code] != nil }
            .sorted { $0.startsAt < $1.startsAt }
    }

    /// The choice among `years` (earliest first) at the instant; nil when there are none. For a
    /// caller choosing for many instants, the years found once.
    static func choose(among years: [PeriodRecord], at instant: Date) -> String? {
        if let running = years.first(where: { $0.startsAt <= instant && instant < $0.endsAt }) { return running.code }
        if let finished = years.last(where: { $0.endsAt <= instant }) { return finished.code }
        return years.first?.code
    }
}
