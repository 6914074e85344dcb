import TallyMessages

/// Department calls (`tally.v1.Reporting`): a department credential may change only its own figures.
extension TallyClient {
    /// Sets or increments one target's figure. A repeated `request_id` returns the first answer.
    public func reportTarget(_ request: Tally_V1_ReportTargetRequest) async throws -> Tally_V1_ReportTargetResponse {
        try await call(Tally_V1_Reporting.Method.reportTarget, request)
    }

    /// Moves a project's stage, investment or percent; a stage moves back only as a correction.
    public func reportProject(_ request: Tally_V1_ReportProjectRequest) async throws -> Tally_V1_ReportProjectResponse {
        try await call(Tally_V1_Reporting.Method.reportProject, request)
    }

    /// Registers a project in one of the department's batches (the plan names only some members).
    public func registerProject(_ request: Tally_V1_RegisterProjectRequest) async throws -> Tally_V1_RegisterProjectResponse {
        try await call(Tally_V1_Reporting.Method.registerProject, request)
    }

    /// Sends many updates at once; the server applies all of them or none.
    public func submitPeriodReport(_ request: Tally_V1_SubmitPeriodReportRequest) async throws -> Tally_V1_SubmitPeriodReportResponse {
        try await call(Tally_V1_Reporting.Method.submitPeriodReport, request)
    }

    /// Lists the caller's department, its targets, projects and batches in a campaign (nil: the one
    /// running now, else the latest finished).
    public func listMine(campaign: String? = nil) async throws -> Tally_V1_ListMineResponse {
        var request = Tally_V1_ListMineRequest()
        request.campaign = campaign ?? ""
        return try await call(Tally_V1_Reporting.Method.listMine, request)
    }
}
