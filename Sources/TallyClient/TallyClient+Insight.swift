import Foundation
import TallyMessages

/// Central-office reads of early warnings, forecasts and the ranking (SPEC.md 11, "Early warning, forecast and ranking").
extension TallyClient {
    /// The warnings standing now, of a campaign (nil: the running one), or of one department.
    public func warnings(campaign: String? = nil, department: String? = nil) async throws -> Tally_V1_WarningsResponse {
        try await listWarnings(.with {
            $0.campaign = campaign ?? ""
            $0.department = department ?? ""
        })
    }

    /// Each numeric target projected to the campaign's end at its recent pace, with rollups.
    public func forecast(campaign: String? = nil) async throws -> Tally_V1_Forecast {
        try await getForecast(.with { $0.campaign = campaign ?? "" })
    }

    /// The ranking (红黑榜) for a month ("2023-10"; nil: the current one).
    public func ranking(period: String? = nil, campaign: String? = nil) async throws -> Tally_V1_Ranking {
        try await getRanking(.with {
            $0.period = period ?? ""
            $0.campaign = campaign ?? ""
        })
    }
}
