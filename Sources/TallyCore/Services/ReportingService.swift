import Foundation
import TallyMessages
import TallyRPC
import TallyStore
import TallyWire

/// `tally.v1.Reporting`: what a department reports. Every write goes through the group-commit
/// ``Writer``; listing reads the in-memory totals.
struct ReportingService: TallyService {
    let parts: ServerParts
    /// When a report made earlier (queued offline) is still accepted.
    let window: MadeAtWindow

    func register(on router: Router) {
        router.registerUnary(Tally_V1_Reporting.Method.reportTarget, access: .report, handler: reportTarget)
        router.registerUnary(Tally_V1_Reporting.Method.reportProject, access: .report, handler: reportProject)
        router.registerUnary(Tally_V1_Reporting.Method.registerProject, access: .report, handler: registerProject)
        router.registerUnary(Tally_V1_Reporting.Method.submitPeriodReport, access: .report, handler: submitPeriodReport)
        router.registerUnary(Tally_V1_Reporting.Method.listMine, access: .report, handler: listMine)
    }

    func reportTarget(_ request: Tally_V1_ReportTargetRequest, _ context: ServerContext) async throws
        -> Tally_V1_ReportTargetResponse
    {
        let campaign = totals.campaign(ofTarget: request.targetID)
        let outcome = try await write(request, context, campaign: campaign) { () throws(RPCError) in .reportTarget(try target(request)) }
        return .init(acknowledging: outcome, outcome.target) { $0.target = $1.proto }
    }

    func reportProject(_ request: Tally_V1_ReportProjectRequest, _ context: ServerContext) async throws
        -> Tally_V1_ReportProjectResponse
    {
        try SharedProjectRule.check(request, by: try context.caller, in: totals.snapshot)
        if !request.requestID.isEmpty,
           let project = try await unchangedProject(request, department: try context.caller.reportingDepartment()) {
            var response = Tally_V1_ReportProjectResponse()
            response.project = project.proto
            response.unchanged = true
            return response
        }
        let campaign = totals.campaign(ofProject: request.projectID)
        let outcome = try await write(request, context, campaign: campaign) { () throws(RPCError) in .reportProject(try project(request)) }
        return .init(acknowledging: outcome, outcome.project) { $0.project = $1.proto }
    }

    func registerProject(_ request: Tally_V1_RegisterProjectRequest, _ context: ServerContext) async throws
        -> Tally_V1_RegisterProjectResponse
    {
        let campaign = totals.campaign(ofBatch: request.batchID)
        let outcome = try await write(request, context, campaign: campaign) { () throws(RPCError) in
            .registerProject(WriteCommand.RegisterProject(
                batch_id: try Validation.identifier("batch_id", request.batchID),
                name: try Validation.name("name", request.name),
                project_id: request.projectID.isEmpty ? nil : try Validation.identifier("project_id", request.projectID),
                planned_investment: try Validation.optionalDecimal(
                    "planned_investment", request.plannedInvestment, allowNegative: false),
                stage: request.stage == .unspecified ? nil : try stage(request.stage),
                co_departments: try request.coDepartments.map { code throws(RPCError) in
                    try Validation.identifier("co_departments", code)
                },
                note: try Validation.text("note", request.note)))
        }
        return .init(acknowledging: outcome, outcome.project) { $0.project = $1.proto }
    }

    func submitPeriodReport(_ request: Tally_V1_SubmitPeriodReportRequest, _ context: ServerContext) async throws
        -> Tally_V1_SubmitPeriodReportResponse
    {
        let principal = try context.caller
        var envelope = WriteCommand.Envelope(principal: principal, requestID: try Validation.requestID(request.requestID))
        if !request.period.isEmpty {
            guard request.period.wholeMatch(of: /20[0-9]{2}(-(0[1-9]|1[0-2]))?/) != nil else {
                throw RPCError(.invalidArgument, "period: \(StatusText.quote(request.period)) is not a period such as 2023-03")
            }
            envelope.period = request.period
            try CampaignPeriodRule.check(period: request.period, updates: request.updates, in: totals.snapshot)
        } else {
            envelope.period = totals.defaultPeriod
        }
        let campaign = request.period.isEmpty ? CampaignPeriodRule.campaign(of: request.updates, in: totals.snapshot) : nil
        envelope.apply(try await stamp(request.madeAtUnixMs, period: request.period.isEmpty ? nil : request.period,
                                       campaign: campaign, envelope: envelope))
        keepWithin(campaign, &envelope)
        // The report's record (Schema/007) is stamped on the server's clock, as the office's records are.
        envelope.server_at = Timestamp.format(totals.now())
        let note = try Validation.text("note", request.note)
        guard !request.updates.isEmpty else {
            throw RPCError(.invalidArgument, "updates: a period report needs at least one update")
        }
        let updates = try self.updates(request.updates, by: principal)
        let resubmits = request.resubmits.isEmpty ? nil : try Validation.identifier("resubmits", request.resubmits)
        let outcome = try await writer.submit(.periodReport(.init(updates: updates, note: note, resubmits: resubmits)),
                                              envelope, logging: context.logger).get()
        var response = Tally_V1_SubmitPeriodReportResponse()
        if let report = outcome.report { response.report = report.proto }
        response.targets = (outcome.targets ?? []).map(\.proto)
        response.projects = (outcome.projects ?? []).map(\.proto)
        response.firstSequence = outcome.first_sequence ?? 0
        // The updates' range; the report's own record (Schema/007) follows them in the log.
        response.lastSequence = outcome.report?.lastSequence ?? outcome.last_sequence ?? 0
        response.replayed = outcome.replayed ?? false
        return response
    }

    /// Read from the database, not the totals, so that a clerk always sees the writes just acknowledged.
    func listMine(_ request: Tally_V1_ListMineRequest, _ context: ServerContext) async throws -> Tally_V1_ListMineResponse {
        let department = try context.caller.reportingDepartment()
        let named = request.campaign.isEmpty ? nil : try Validation.identifier("campaign", request.campaign)
        let state = totals.snapshot
        let campaign = named ?? CampaignChoice.defaultCampaign(in: state, at: totals.now())
        guard state.campaignCodes.contains(campaign) else {
            throw RPCError(.notFound, "campaign \(campaign): no such campaign (campaigns: \(state.campaignCodes.joined(separator: ", ")))")
        }
        let mine = try await pool.reading { connection in
            try DepartmentHoldings.load(connection, department: department, campaign: campaign)
        }
        var response = Tally_V1_ListMineResponse()
        if let record = mine.department { response.department = record.proto }
        response.targets = mine.targets.map(\.proto)
        response.projects = mine.projects.map(\.proto)
        response.batches = mine.batches.map(\.proto)
        response.campaign = campaign
        let partnerCodes = Set(mine.projects.flatMap { [$0.leadDepartment] + $0.coDepartments }).subtracting([department])
        response.partners = state.sortedDepartments.filter { partnerCodes.contains($0.code) }.map(\.proto)
        return response
    }

    /// Builds a department's command (checking every field and the time it was made), and waits for
    /// the commit. `campaign` is the campaign of what it writes, when known: the month it counts for
    /// is its last once it has ended (``CampaignPeriodRule/lastMonth(after:of:)``).
    private func write(_ request: some ReportingWriteRequest, _ context: ServerContext, campaign: String?,
                       _ command: () throws(RPCError) -> WriteCommand) async throws -> WriteOutcome {
        let principal = try context.caller
        var envelope = WriteCommand.Envelope(principal: principal, requestID: try Validation.requestID(request.requestID),
                                             period: totals.defaultPeriod)
        envelope.apply(try await stamp(request.madeAtUnixMs, campaign: campaign, envelope: envelope))
        keepWithin(campaign, &envelope)
        return try await writer.submit(try command(), envelope, logging: context.logger).get()
    }

    /// A write that names no time counts for the server's current month, unless `campaign` has
    /// ended by then: then for the campaign's last month. Otherwise the period is left to the
    /// database's clock at commit, as before.
    private func keepWithin(_ campaign: String?, _ envelope: inout WriteCommand.Envelope) {
        guard let campaign, envelope.made_at == nil else { return }
        let month = envelope.period ?? CampaignCalendar().monthPeriod(of: totals.now())
        if let last = CampaignPeriodRule.lastMonth(after: month, of: campaign) { envelope.period = last }
    }

    /// The timing of a write made earlier. A request already applied passes even when its window has
    /// closed since, so that its replay is still recognised: the writer answers it from `requests`.
    /// Without a named period, a write made after its `campaign` ended counts for the campaign's last
    /// month: one made just now (within the clock skew) is then a late report, never refused for
    /// that month's closed window; one made earlier and delivered now is held to that window.
    private func stamp(_ madeAt: Int64, period named: String? = nil, campaign: String? = nil,
                       envelope: WriteCommand.Envelope) async throws -> MadeAtWindow.Stamp? {
        let now = totals.now()
        if totals.isPinned, MadeAtWindow.isOnTheWallClock(madeAt, pinnedNow: now, wallNow: Date()) { return nil }
        var period = named
        var madeJustNow = false
        if period == nil, let campaign, madeAt > 0 {
            let made = Date(timeIntervalSince1970: TimeInterval(madeAt) / 1000)
            if let last = CampaignPeriodRule.lastMonth(after: CampaignCalendar().monthPeriod(of: made), of: campaign) {
                period = last
                madeJustNow = now.timeIntervalSince(made) <= window.clockSkew
            }
        }
        do {
            return try window.stamp(madeAt, period: period, now: now, closing: !madeJustNow)
        } catch {
            guard let requestID = envelope.request_id else { throw error }
            let applied = try await pool.serving { connection in
                try !connection.executePrepared("SELECT 1 FROM requests WHERE credential = $1 AND request_id = $2",
                                                [.text(envelope.credential), .text(requestID)]).rows.isEmpty
            }
            if applied { return try window.unchecked(madeAt, period: period) }
            throw error
        }
    }

    // MARK: - Field checks shared by single updates and period reports

    /// The updates of a period report (or of a dispatch answer's report), each checked; a failure
    /// names the update's index.
    func updates(_ updates: [Tally_V1_Update], by principal: Principal) throws -> [WriteCommand.PeriodReport.Update] {
        guard updates.count <= Validation.maxUpdates else {
            throw RPCError(.invalidArgument, "updates: at most \(Validation.maxUpdates) updates in one report")
        }
        var checked: [WriteCommand.PeriodReport.Update] = []
        for (index, update) in updates.enumerated() {
            do {
                switch update.kind {
                case .target(let target): checked.append(.target(try self.target(target)))
                case .project(let project):
                    try SharedProjectRule.check(project, by: principal, in: totals.snapshot)
                    checked.append(.project(try self.project(project)))
                case nil: throw RPCError(.invalidArgument, "empty update: give a target or a project")
                }
            } catch let error as RPCError {
                throw RPCError(error.code, "updates[\(index)]: \(error.message)")
            }
        }
        return checked
    }

    private func target(_ request: Tally_V1_ReportTargetRequest) throws(RPCError) -> WriteCommand.ReportTarget {
        var command = WriteCommand.ReportTarget(target_id: try Validation.identifier("target_id", request.targetID))
        switch request.change {
        case .setValue(let value): command.set_value = try Validation.decimal("set_value", value, allowNegative: false)
        case .increment(let value): command.increment = try Validation.decimal("increment", value, allowNegative: true)
        case nil: throw RPCError(.invalidArgument, "change: give set_value or increment")
        }
        if !request.unit.isEmpty { command.unit = try Validation.text("unit", request.unit, maxBytes: 60) }
        if request.expectedVersion < 0 { throw RPCError(.invalidArgument, "expected_version: must not be negative") }
        if request.expectedVersion > 0 { command.expected_version = request.expectedVersion }
        command.note = try Validation.text("note", request.note)
        return command
    }

    private func project(_ request: Tally_V1_ReportProjectRequest) throws(RPCError) -> WriteCommand.ReportProject {
        var command = WriteCommand.ReportProject(project_id: try Validation.identifier("project_id", request.projectID))
        if request.stage != .unspecified { command.stage = try stage(request.stage) }
        command.investment_completed = try Validation.optionalDecimal(
            "investment_completed", request.investmentCompleted, allowNegative: false)
        command.percent = try Validation.optionalDecimal("percent", request.percent, allowNegative: false)
        if let percent = command.percent, let value = Decimal(exact: percent), value > 100 {
            throw RPCError(.invalidArgument, "percent: must be between 0 and 100 (got \(percent))")
        }
        command.share_investment = try Validation.optionalDecimal(
            "share_investment", request.shareInvestment, allowNegative: false)
        if command.stage == nil && command.investment_completed == nil && command.percent == nil
            && command.share_investment == nil {
            throw RPCError(.invalidArgument, "nothing to report: give stage, investment_completed, percent or share_investment")
        }
        if request.expectedVersion < 0 { throw RPCError(.invalidArgument, "expected_version: must not be negative") }
        if request.expectedVersion > 0 { command.expected_version = request.expectedVersion }
        if request.correction {
            command.correction = true
            command.correction_reason = try Validation.text("correction_reason", request.correctionReason, maxBytes: 1_500)
        }
        command.note = try Validation.text("note", request.note)
        return command
    }

    private func stage(_ value: Tally_V1_Stage) throws(RPCError) -> String {
        guard let stage = Stage(proto: value) else {
            throw RPCError(.invalidArgument, "stage: \(value.rawValue) is not a stage")
        }
        return stage.rawValue
    }
}
