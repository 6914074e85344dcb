import Foundation
import TallyMessages
import TallyRPC
import TallyStore
import TallyWire

/// `tally.v1.Admin/ApplyPlan` and `ExportPlan`: a campaign's whole plan as a plan file. Applying runs
/// in one transaction on one connection (read the campaign, compare, write every change through
/// `tally_apply_plan`, Schema/006), so it is all or none and compares against what it changes.
struct PlanService: TallyService {
    let parts: ServerParts

    func register(on router: Router) {
        router.registerUnary(Tally_V1_Admin.Method.applyPlan, access: .planFiles, handler: apply)
        router.registerUnary(Tally_V1_Admin.Method.exportPlan, access: .planFiles, handler: export)
    }

    /// Applies (or, dry, compares) a plan file; once applied, answers after the in-memory totals hold
    /// the plan's changes.
    func apply(_ request: Tally_V1_ApplyPlanRequest, _ context: ServerContext) async throws -> Tally_V1_ApplyPlanResponse {
        let principal = try context.caller
        let file = request.fileName.isEmpty ? "plan" : String(request.fileName.prefix(200))
        let requestID = request.requestID.isEmpty ? UUID().uuidString : try Validation.requestID(request.requestID)
        let plan: PlanDocument
        do {
            plan = try PlanFile.parse(request.document, file: file)
        } catch {
            throw RPCError(.invalidArgument, error.description)
        }
        let dryRun = request.dryRun
        let result = try await pool.serving { connection in
            try Self.apply(plan, connection: connection, dryRun: dryRun, principal: principal, requestID: requestID)
        }
        if result.lastSequence > 0 { await totals.waitUntilIncludes(result.lastSequence) }
        return result
    }

    func export(_ request: Tally_V1_ExportPlanRequest, _: ServerContext) async throws -> Tally_V1_ExportPlanResponse {
        let requested = request.campaign.isEmpty ? nil : try Validation.identifier("campaign", request.campaign)
        let campaign = requested ?? CampaignChoice.defaultCampaign(in: totals.snapshot, at: totals.now())
        let plan = try await pool.serving { connection in try PlanStore.load(connection, campaign: campaign) }
        guard let plan else { throw RPCError(.notFound, "campaign \(campaign) is not in the database") }
        var response = Tally_V1_ExportPlanResponse()
        response.campaign = campaign
        response.document = try PlanFile.text(of: plan)
        return response
    }

    /// Compares and (unless a dry run) applies inside one transaction.
    private static func apply(_ plan: PlanDocument, connection: PostgresConnection, dryRun: Bool,
                              principal: Principal, requestID: String) throws -> Tally_V1_ApplyPlanResponse {
        try connection.execute("BEGIN")
        do {
            let organisation = try PlanStore.organisation(connection)
            let diff = try PlanDiff(current: PlanStore.load(connection, campaign: plan.year),
                                    departments: organisation.departments, lines: organisation.lines, proposed: plan)
            var response = Tally_V1_ApplyPlanResponse()
            response.campaign = plan.year
            response.changes = diff.changes.map(\.words)
            response.kept = diff.kept
            if !dryRun && !diff.changes.isEmpty {
                let command = try Self.command(diff, plan: plan, principal: principal, requestID: requestID)
                let result = try connection.executePrepared("SELECT tally_apply_plan($1::jsonb)::text", [.text(command)])
                let sequences = try JSONDecoder().decode([String: Int64].self,
                                                         from: Data(try result.rows.first?.decode(String.self, at: 0).utf8 ?? "{}".utf8))
                response.firstSequence = sequences["first_sequence"] ?? 0
                response.lastSequence = sequences["last_sequence"] ?? 0
                response.applied = true
            }
            try connection.execute(dryRun ? "ROLLBACK" : "COMMIT")
            return response
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw Self.status(error)
        }
    }

    /// The JSON command `tally_apply_plan` reads.
    private static func command(_ diff: PlanDiff, plan: PlanDocument, principal: Principal, requestID: String) throws -> String {
        let changes: [[String: Any]] = try diff.changes.map {
            ["entity_type": $0.entityType, "entity": try JSONSerialization.jsonObject(with: $0.entity)]
        }
        let command: [String: Any] = [
            "role": principal.role.rawValue, "credential": principal.credentialID, "request_id": requestID,
            "note": "plan \(plan.year)", "campaign": plan.year, "changes": changes,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: command), as: UTF8.self)
    }

    /// A refusal raised by the plan's SQL (Tally's named codes, e.g. TLVER for a stale version,
    /// or a constraint's SQLSTATE) through the writer's one map; anything else as any store error.
    private static func status(_ error: any Error) -> RPCError {
        if let store = error as? StoreError, let code = store.sqlState?.rawValue,
           StatusMapping.writeStatus(code) != .internalError {
            return StatusMapping.writeFailure(code, store.message, metadata: [:])
        }
        return StatusMapping.rpcError(error)
    }
}
