import Foundation
import TallyMessages

/// Plan files (`tally plan`, ADMIN): apply a campaign's whole plan, or export it.
extension TallyClient {
    /// Sends a plan file's text: the server validates it, compares it with the database and, unless
    /// `dryRun`, applies every change all or none. The answer lists the changes in words.
    public func applyPlan(document: String, fileName: String, dryRun: Bool,
                          requestID: String = UUID().uuidString) async throws -> Tally_V1_ApplyPlanResponse {
        try await applyPlan(.with {
            $0.document = document
            $0.fileName = fileName
            $0.dryRun = dryRun
            $0.requestID = requestID
        })
    }

    /// A campaign's plan ("2024"; nil: the current or latest one) as canonical plan-file text.
    public func exportPlan(campaign: String? = nil) async throws -> Tally_V1_ExportPlanResponse {
        try await exportPlan(.with { $0.campaign = campaign ?? "" })
    }
}
