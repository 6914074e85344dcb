import Foundation
import TallyMessages

extension LiveTotals {
    /// Plugs in where 调度 requests come from (the dispatch feature); none means no requests.
    func setDispatchSource(_ source: (any DispatchInputSource)?) { dispatchSource.withLock { $0 = source } }

    /// What warnings, forecasts and the ranking of a campaign are computed from at an instant (the
    /// server's now when nil): the in-memory state, never a fresh query. nil for an unknown campaign.
    func insight(of campaign: String?, at requested: Date? = nil) -> InsightContext? {
        let instant = now(requested)
        let state = snapshot
        let chosen = campaign ?? CampaignChoice.defaultCampaign(in: state, at: instant)
        guard state.campaignCodes.contains(chosen) || state.campaignCodes.isEmpty else { return nil }
        return insight(state.restricted(to: chosen), at: instant)
    }

    /// The insight context of one campaign's state at an instant.
    func insight(_ state: PlanState, at instant: Date) -> InsightContext {
        // The 调度 requests' standing at the instant, from the in-memory book (a source set with
        // ``setDispatchSource(_:)`` takes its place).
        let dispatch = dispatchSource.withLock { $0 }?.dispatchInputs(at: instant)
            ?? DispatchInputs(state.dispatch.standing(at: instant),
                              titles: state.dispatch.dispatches.mapValues(\.title))
        // The campaign's plan sets its thresholds; without them, the server's settings.
        let rules = state.campaigns[state.year]?.warnings ?? self.rules
        return InsightContext(state: state, builder: builder, rules: rules, dispatch: dispatch, instant: instant)
    }

    /// The dashboard with its warnings, forecast and ranking (for the month it shows).
    func withInsight(_ dashboard: Tally_V1_Dashboard, _ state: PlanState, at instant: Date) -> Tally_V1_Dashboard {
        var dashboard = dashboard
        let context = insight(state, at: instant)
        dashboard.warnings = context.warnings()
        dashboard.forecast = context.forecast()
        if let ranking = try? context.ranking(period: nil) { dashboard.ranking = ranking }
        return dashboard
    }
}
