import Foundation
import TallyMessages

/// Plan files (`tally plan`, ADMIN): apply a campaign's whole plan, or export it.
extension TallyClient {
    /// Sends a plan file's text: the server validates it, compares it with the database and, unless
    /// `dryRun`, applies every change all or none. The answer lists the changes in words.
    public func applyPlan(document: String, fileName: String, dryRun: Bool,
                          requestID: String = UUID().uuidString) async throws -> Tally_V1_ApplyPlanResponse {
        var request = Tally_V1_ApplyPlanRequest()
        request.document = document
        request.fileName = fileName
        request.dryRun = dryRun
        request.requestID = requestID
        return try await call(Tally_V1_Admin.Method.applyPlan, request)
    }

    /// A campaign's plan ("2024"; nil: the current or latest one) as canonical plan-file text.
    public func exportPlan(campaign: String? = nil) async throws -> Tally_V1_ExportPlanResponse {
        var request = Tally_V1_ExportPlanRequest()
        request.campaign = campaign ?? ""
        return try await call(Tally_V1_Admin.Method.exportPlan, request)
    }
}
