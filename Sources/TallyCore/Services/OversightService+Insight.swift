import Foundation
import TallyMessages
import TallyRPC
import TallyWire

/// Early warnings, forecasts and the ranking (SPEC.md 11, "Early warning, forecast and ranking"): from the in-memory totals at the
/// server's now, once they include every write this server acknowledged.
extension OversightService {
    func registerInsight(on router: Router) {
        router.registerUnary(Tally_V1_Oversight.Method.listWarnings, access: .read, interceptors: readYourWrites, handler: warnings)
        router.registerUnary(Tally_V1_Oversight.Method.getForecast, access: .read, interceptors: readYourWrites, handler: forecast)
        router.registerUnary(Tally_V1_Oversight.Method.getRanking, access: .read, interceptors: readYourWrites, handler: ranking)
    }

    func warnings(_ request: Tally_V1_WarningsRequest, _: ServerContext) async throws -> Tally_V1_WarningsResponse {
        let department = request.department.isEmpty ? nil : try Validation.identifier("department", request.department)
        let context = try await insightContext(request.campaign)
        if let department, context.state.departments[department] == nil {
            throw RPCError(.notFound, "department \"\(department)\" does not exist")
        }
        var response = Tally_V1_WarningsResponse()
        response.warnings = context.warnings().filter { department == nil || $0.department == department }
        response.asOfUnixMs = CivilDate.milliseconds(of: context.instant)
        response.sequence = context.state.sequence
        return response
    }

    func forecast(_ request: Tally_V1_ForecastRequest, _: ServerContext) async throws -> Tally_V1_Forecast {
        try await insightContext(request.campaign).forecast()
    }

    func ranking(_ request: Tally_V1_RankingRequest, _: ServerContext) async throws -> Tally_V1_Ranking {
        if !request.period.isEmpty, request.period.wholeMatch(of: /20[0-9]{2}-(0[1-9]|1[0-2])/) == nil {
            throw RPCError(.invalidArgument, "period: \(StatusText.quote(request.period)) is not a month such as 2023-10")
        }
        let context = try await insightContext(request.campaign)
        do {
            return try context.ranking(period: request.period.isEmpty ? nil : request.period)
        } catch {
            throw RPCError(.invalidArgument, error.message)
        }
    }

    /// The campaign's insight context at the server's now; NOT_FOUND for an unknown campaign.
    private func insightContext(_ campaign: String) async throws -> InsightContext {
        let code = campaign.isEmpty ? nil : try Validation.identifier("campaign", campaign)
        guard let context = totals.insight(of: code) else {
            throw RPCError(.notFound, "campaign \(campaign): no such campaign")
        }
        return context
    }
}
