import TallyMessages

/// Department calls (`tally.v1.Reporting`): a department credential may change only its own figures.
/// `reportTarget`, `reportProject`, `registerProject` and `submitPeriodReport` take their request
/// message as it is (generated, `Generated/tally.client.swift`); a repeated `request_id` returns the first answer.
extension TallyClient {
    /// Lists the caller's department, its targets, projects and batches in a campaign (nil: the one
    /// running now, else the latest finished).
    public func listMine(campaign: String? = nil) async throws -> Tally_V1_ListMineResponse {
        try await listMine(.with { $0.campaign = campaign ?? "" })
    }
}
