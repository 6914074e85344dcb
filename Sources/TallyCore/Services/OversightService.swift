import Foundation
import TallyMessages
import TallyRPC
import TallyStore
import TallyWire

/// `tally.v1.Oversight`: what the central office reads. Dashboards come from the in-memory totals
/// (once they include every write this server acknowledged); watch streams come from the
/// ``WatchHub``; history reads the change log.
struct OversightService: TallyService {
    let parts: ServerParts

    func register(on router: Router) {
        router.registerUnary(Tally_V1_Oversight.Method.getDashboard, access: .read, interceptors: readYourWrites, handler: dashboard)
        router.registerServerStreaming(Tally_V1_Oversight.Method.watch, access: .read, handler: watch)
        router.registerUnary(Tally_V1_Oversight.Method.history, access: .anyCredential, interceptors: readYourWrites, handler: history)
        router.registerUnary(Tally_V1_Oversight.Method.listPlan, access: .read, interceptors: readYourWrites, handler: listPlan)
        registerInsight(on: router)
    }

    /// One campaign's plan (the named one, else the one running now, else the latest finished) from
    /// the in-memory state.
    func listPlan(_ request: Tally_V1_ListPlanRequest, _ context: ServerContext) async throws -> Tally_V1_ListPlanResponse {
        let department = request.department.isEmpty ? nil : try Validation.identifier("department", request.department)
        let named = request.campaign.isEmpty ? nil : try Validation.identifier("campaign", request.campaign)
        let state = totals.snapshot
        if let department, state.departments[department] == nil {
            throw RPCError(.notFound, "department \"\(department)\" does not exist")
        }
        let campaign = named ?? CampaignChoice.defaultCampaign(in: state, at: totals.now())
        guard state.campaignCodes.contains(campaign) else {
            throw RPCError(.notFound, "campaign \(campaign): no such campaign (campaigns: \(state.campaignCodes.joined(separator: ", ")))")
        }
        var listing = state.restricted(to: campaign).listing(department: department)
        listing.campaign = campaign
        return listing
    }

    func dashboard(_ request: Tally_V1_DashboardRequest, _ context: ServerContext) async throws -> Tally_V1_Dashboard {
        guard request.asOfUnixMs >= 0 else { throw RPCError(.invalidArgument, "as_of_unix_ms: must not be negative") }
        let asOf = request.asOfUnixMs == 0 ? nil : Date(timeIntervalSince1970: Double(request.asOfUnixMs) / 1000)
        let campaign = request.campaign.isEmpty ? nil : try Validation.identifier("campaign", request.campaign)
        let found: Tally_V1_Dashboard?
        if let asOf, !totals.isPinned, asOf < Date() {
            // A past date: the figures as they stood then, replayed from the change log.
            let state = try await pool.serving { connection in try PlanState.load(connection, asOf: asOf) }
            found = totals.dashboard(of: campaign, state: state, at: asOf)
        } else {
            found = totals.dashboard(of: campaign, asOf: asOf)
        }
        guard let dashboard = found else {
            throw RPCError(.notFound, "campaign \(request.campaign): no such campaign")
        }
        return dashboard
    }

    func watch(_ request: Tally_V1_WatchRequest, _ writer: ResponseWriter<Tally_V1_WatchEvent>,
               _ context: ServerContext) async throws {
        guard request.afterSequence >= 0 else { throw RPCError(.invalidArgument, "after_sequence: must not be negative") }
        let campaign = request.campaign.isEmpty ? nil : try Validation.identifier("campaign", request.campaign)
        let feed = WatchFeed(hub: hub, pool: pool)
        let ending = try await feed.run(
            after: request.afterSequence, campaign: campaign,
            sendWithoutWaiting: { try writer.sendWithoutWaiting(serialized: $0) }
        ) { item in
            try await writer.send(serialized: item.bytes)
        }
        switch ending {
        case .tooSlow(let lastSent, let capacity):
            throw RPCError(.resourceExhausted,
                "watcher too slow: more than \(capacity) changes queued; resume with after_sequence=\(lastSent)",
                metadata: ["resume-after-sequence": String(lastSent)])
        case .serverStopping(let lastSent):
            throw RPCError(.unavailable, "server shutting down; resume with after_sequence=\(lastSent)",
                           metadata: ["resume-after-sequence": String(lastSent)])
        }
    }

    func history(_ request: Tally_V1_HistoryRequest, _ context: ServerContext) async throws -> Tally_V1_HistoryResponse {
        let principal = try context.caller
        let subject = try Validation.identifier("subject_id", request.subjectID)
        guard totals.snapshot.hasSubject(subject) else {
            throw RPCError(.notFound, "subject_id: \(subject) is not a target, project, batch, department, line, period, campaign, dispatch or report")
        }
        if principal.role == .department {
            let state = totals.snapshot
            let department = try principal.reportingDepartment()
            let own = state.targets[subject]?.department == department
                || state.projects[subject]?.involves(department) ?? false
                || state.dispatch.reports[subject]?.department == department
                || state.dispatch.dispatches[subject]?.isAddressed(to: department) ?? false
            guard own else {
                throw RPCError(.permissionDenied, "\(StatusText.quote(subject)) is not a target or project of \(department)")
            }
        }
        guard request.limit >= 0 else { throw RPCError(.invalidArgument, "limit: must not be negative") }
        let limit = request.limit == 0 ? 100 : min(Int(request.limit), 10_000)
        let (changes, names) = try await pool.reading { connection in
            (try ChangeLogReader.history(connection, subject: subject, limit: limit),
             try ChangeLogReader.credentialNames(connection, subject: subject, limit: limit))
        }
        var response = Tally_V1_HistoryResponse()
        response.changes = changes.map(\.proto)
        response.credentialNames = names
        return response
    }
}
