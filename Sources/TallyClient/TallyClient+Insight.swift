import Foundation
import TallyMessages

/// Central-office reads of early warnings, forecasts and the ranking (SPEC.md 11, "Early warning, forecast and ranking").
extension TallyClient {
    /// The warnings standing now, of a campaign (nil: the running one), or of one department.
    public func warnings(campaign: String? = nil, department: String? = nil) async throws -> Tally_V1_WarningsResponse {
        var request = Tally_V1_WarningsRequest()
        request.campaign = campaign ?? ""
        request.department = department ?? ""
        return try await call(Tally_V1_Oversight.Method.listWarnings, request)
    }

    /// Each numeric target projected to the campaign's end at its recent pace, with rollups.
    public func forecast(campaign: String? = nil) async throws -> Tally_V1_Forecast {
        var request = Tally_V1_ForecastRequest()
        request.campaign = campaign ?? ""
        return try await call(Tally_V1_Oversight.Method.getForecast, request)
    }

    /// The ranking (红黑榜) for a month ("2023-10"; nil: the current one).
    public func ranking(period: String? = nil, campaign: String? = nil) async throws -> Tally_V1_Ranking {
        var request = Tally_V1_RankingRequest()
        request.period = period ?? ""
        request.campaign = campaign ?? ""
        return try await call(Tally_V1_Oversight.Method.getRanking, request)
    }
}
