import Foundation
import TallyMessages
import TallyRPC
import TallyStore
import TallyWire

/// `tally.v1.Office`: the central office's 调度 requests (dispatches) and its review (审核) of period
/// reports. Writes go through the ``Writer`` (each one command, logged); reads come from the
/// in-memory ``DispatchBook`` of the totals (once they include every write this server acknowledged),
/// with each department's state computed at the server's now.
struct OfficeService: TallyService {
    let parts: ServerParts
    /// Checks a dispatch answer's updates as a period report's.
    let reporting: ReportingService

    func register(on router: Router) {
        router.registerUnary(Tally_V1_Office.Method.createDispatch, access: .office, handler: createDispatch)
        router.registerUnary(Tally_V1_Office.Method.listDispatches, access: .office, interceptors: readYourWrites, handler: listDispatches)
        router.registerUnary(Tally_V1_Office.Method.closeDispatch, access: .office, handler: closeDispatch)
        router.registerUnary(Tally_V1_Office.Method.getDispatch, access: .anyCredential, interceptors: readYourWrites, handler: getDispatch)
        router.registerUnary(Tally_V1_Office.Method.inbox, access: .answer, interceptors: readYourWrites, handler: inbox)
        router.registerUnary(Tally_V1_Office.Method.answerDispatch, access: .answer, handler: answerDispatch)
        router.registerServerStreaming(Tally_V1_Office.Method.watchInbox, access: .answer, handler: watchInbox)
        router.registerUnary(Tally_V1_Office.Method.reviewReport, access: .office, handler: reviewReport)
        router.registerUnary(Tally_V1_Office.Method.listReports, access: .anyCredential, interceptors: readYourWrites, handler: listReports)
    }

    func createDispatch(_ request: Tally_V1_CreateDispatchRequest, _ context: ServerContext) async throws -> Tally_V1_Dispatch {
        let now = totals.now()
        let outcome = try await write(request.requestID, context) { () throws(RPCError) in
            guard !request.departments.isEmpty else {
                throw RPCError(.invalidArgument, "departments: a 调度 request goes to at least one department")
            }
            var departments: [String] = []
            for code in request.departments {
                let code = try Validation.identifier("departments", code)
                if !departments.contains(code) { departments.append(code) }
            }
            guard request.dueUnixMs > CivilDate.milliseconds(of: now) else {
                throw RPCError(.invalidArgument, "due_unix_ms: the due time \(Timestamp.format(Self.date(request.dueUnixMs))) is not after the server's now \(Timestamp.format(now))")
            }
            return .dispatchCreate(.init(
                title: try Validation.name("title", request.title),
                instructions: try Validation.text("instructions", request.instructions),
                departments: departments,
                subjects: try request.subjects.map { id throws(RPCError) in try Validation.identifier("subjects", id) },
                due_at: Timestamp.format(Self.date(request.dueUnixMs))))
        }
        return try outcome.required(\.dispatch).proto(at: now)
    }

    func closeDispatch(_ request: Tally_V1_CloseDispatchRequest, _ context: ServerContext) async throws -> Tally_V1_Dispatch {
        let outcome = try await write(request.requestID, context) { () throws(RPCError) in
            .dispatchClose(.init(dispatch_id: try Validation.identifier("dispatch_id", request.dispatchID)))
        }
        return try outcome.required(\.dispatch).proto(at: totals.now())
    }

    func listDispatches(_ request: Tally_V1_ListDispatchesRequest, _ context: ServerContext) async throws
        -> Tally_V1_ListDispatchesResponse
    {
        let state = totals.snapshot
        let now = totals.now()
        var response = Tally_V1_ListDispatchesResponse()
        response.dispatches = state.dispatch.sortedDispatches
            .filter { request.includeClosed || $0.closedAt == nil }
            .map { $0.proto(at: now) }
        response.standing = state.dispatch.standing(at: now).protoRows(order: state.sortedDepartments.map(\.code))
        response.nowUnixMs = CivilDate.milliseconds(of: now)
        return response
    }

    /// One dispatch; a department reads only one addressed to it, and only its own answer.
    func getDispatch(_ request: Tally_V1_GetDispatchRequest, _ context: ServerContext) async throws -> Tally_V1_Dispatch {
        let principal = try context.caller
        let id = try Validation.identifier("dispatch_id", request.dispatchID)
        guard let dispatch = totals.snapshot.dispatch.dispatches[id] else {
            throw RPCError(.notFound, "dispatch \(StatusText.quote(id)) does not exist")
        }
        guard principal.role == .department else { return dispatch.proto(at: totals.now()) }
        let department = try principal.reportingDepartment()
        guard dispatch.isAddressed(to: department) else {
            throw RPCError(.permissionDenied, "dispatch \(StatusText.quote(id)) is not addressed to \(department)")
        }
        return dispatch.proto(at: totals.now(), for: department)
    }

    func inbox(_: Tally_V1_InboxRequest, _ context: ServerContext) async throws -> Tally_V1_InboxResponse {
        Self.inbox(of: try context.caller.reportingDepartment(), in: totals.snapshot, at: totals.now())
    }

    /// The inbox, then each change that concerns the caller's department (see ``InboxWatch``).
    func watchInbox(_: Tally_V1_WatchInboxRequest, _ writer: ResponseWriter<Tally_V1_InboxEvent>,
                    _ context: ServerContext) async throws {
        try await InboxWatch(hub: hub, totals: totals).run(department: try context.caller.reportingDepartment(), writer)
    }

    /// A department's inbox: the dispatches addressed to it (open and unanswered first, then newest)
    /// and its returned reports that no resubmission corrects yet.
    static func inbox(of department: String, in state: PlanState, at now: Date) -> Tally_V1_InboxResponse {
        var response = Tally_V1_InboxResponse()
        response.department = department
        let mine = state.dispatch.sortedDispatches.filter { $0.isAddressed(to: department) }
        let waiting: (DispatchRecord) -> Bool = { dispatch in
            dispatch.closedAt == nil && dispatch.recipients.contains { $0.department == department && $0.answeredAt == nil }
        }
        response.dispatches = (mine.filter(waiting) + mine.filter { !waiting($0) }).map { $0.proto(at: now, for: department) }
        response.returned = state.dispatch.sortedReports
            .filter { $0.department == department && $0.reviewState == .returned && $0.correctedBy == nil }
            .map(\.proto)
        response.nowUnixMs = CivilDate.milliseconds(of: now)
        return response
    }

    func answerDispatch(_ request: Tally_V1_AnswerDispatchRequest, _ context: ServerContext) async throws
        -> Tally_V1_AnswerDispatchResponse
    {
        let principal = try context.caller
        let department = try principal.reportingDepartment()
        let updates = try reporting.updates(request.updates, by: principal)
        let outcome = try await write(request.requestID, context) { () throws(RPCError) in
            let answer = try Validation.text("answer", request.answer)
            guard !answer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw RPCError(.invalidArgument, "answer: required (the text reply to the 调度 request)")
            }
            return .dispatchAnswer(.init(
                dispatch_id: try Validation.identifier("dispatch_id", request.dispatchID), answer: answer,
                updates: updates, note: try Validation.text("report_note", request.reportNote)))
        }
        var response = Tally_V1_AnswerDispatchResponse(acknowledging: outcome)
        response.dispatch = try outcome.required(\.dispatch).proto(at: totals.now(), for: department)
        if let report = outcome.report { response.report = report.proto }
        response.targets = (outcome.targets ?? []).map(\.proto)
        response.projects = (outcome.projects ?? []).map(\.proto)
        return response
    }

    func reviewReport(_ request: Tally_V1_ReviewReportRequest, _ context: ServerContext) async throws -> Tally_V1_PeriodReport {
        let outcome = try await write(request.requestID, context) { () throws(RPCError) in
            let comment = try Validation.text("comment", request.comment)
            let action: WriteCommand.Review.Action
            switch request.action {
            case .accept: action = .accept
            case .return:
                guard !comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw RPCError(.invalidArgument, "comment: a returned report needs a comment saying what to correct")
                }
                action = .return
            default:
                throw RPCError(.invalidArgument, "action: give REVIEW_ACTION_ACCEPT or REVIEW_ACTION_RETURN")
            }
            return .review(.init(report_id: try Validation.identifier("report_id", request.reportID), action: action,
                                 comment: comment))
        }
        return try outcome.required(\.report).proto
    }

    /// Reports newest first; a department credential sees its own only.
    func listReports(_ request: Tally_V1_ListReportsRequest, _ context: ServerContext) async throws -> Tally_V1_ListReportsResponse {
        let principal = try context.caller
        var department = request.department.isEmpty ? nil : try Validation.identifier("department", request.department)
        if principal.role == .department {
            let own = try principal.reportingDepartment()
            if let department, department != own {
                throw RPCError(.permissionDenied, "reports of \(department) are not readable with a credential of \(own)")
            }
            department = own
        }
        let state = request.reviewState == .unspecified ? nil : ReviewState(proto: request.reviewState)
        if request.reviewState != .unspecified, state == nil {
            throw RPCError(.invalidArgument, "review_state: \(request.reviewState.rawValue) is not a review state")
        }
        var response = Tally_V1_ListReportsResponse()
        response.reports = totals.snapshot.dispatch.sortedReports
            .filter { department == nil || $0.department == department }
            .filter { state == nil || $0.reviewState == state }
            .map(\.proto)
        return response
    }

    /// Builds a command stamped with the server's now, and waits for its commit.
    private func write(_ requestID: String, _ context: ServerContext,
                       _ command: () throws(RPCError) -> WriteCommand) async throws -> WriteOutcome {
        var envelope = WriteCommand.Envelope(principal: try context.caller, requestID: try Validation.requestID(requestID),
                                             period: totals.defaultPeriod)
        envelope.server_at = Timestamp.format(totals.now())
        return try await writer.submit(try command(), envelope, logging: context.logger).get()
    }

    private static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
