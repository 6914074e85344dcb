import Foundation
import TallyMessages

/// The central office's weekly work (`tally.v1.Office`): 调度 requests (dispatches) and the review
/// (审核) of period reports. Central and admin credentials issue, list, close and review; a department
/// reads its inbox and answers the dispatches addressed to it.
extension TallyClient {
    /// Issues a dispatch to `departments`, due at `due` (central office, admin). `requestID` makes a
    /// retry safe: the same id returns the first answer.
    public func createDispatch(title: String, instructions: String = "", departments: [String], subjects: [String] = [],
                               due: Date, requestID: String = UUID().uuidString) async throws -> Tally_V1_Dispatch {
        var request = Tally_V1_CreateDispatchRequest()
        request.requestID = requestID
        request.title = title
        request.instructions = instructions
        request.departments = departments
        request.subjects = subjects
        request.dueUnixMs = Int64((due.timeIntervalSince1970 * 1000).rounded())
        return try await call(Tally_V1_Office.Method.createDispatch, request)
    }

    /// Every open dispatch (and closed ones with `includeClosed`) with each department's state at the
    /// server's now, and each department's record of answers.
    public func listDispatches(includeClosed: Bool = false) async throws -> Tally_V1_ListDispatchesResponse {
        var request = Tally_V1_ListDispatchesRequest()
        request.includeClosed = includeClosed
        return try await call(Tally_V1_Office.Method.listDispatches, request)
    }

    /// Closes a dispatch: it takes no more answers.
    public func closeDispatch(_ id: String, requestID: String = UUID().uuidString) async throws -> Tally_V1_Dispatch {
        var request = Tally_V1_CloseDispatchRequest()
        request.requestID = requestID
        request.dispatchID = id
        return try await call(Tally_V1_Office.Method.closeDispatch, request)
    }

    /// One dispatch (a department: only one addressed to it).
    public func dispatch(_ id: String) async throws -> Tally_V1_Dispatch {
        var request = Tally_V1_GetDispatchRequest()
        request.dispatchID = id
        return try await call(Tally_V1_Office.Method.getDispatch, request)
    }

    /// The department's dispatches (open and unanswered first) and its returned reports awaiting correction.
    public func inbox() async throws -> Tally_V1_InboxResponse {
        try await call(Tally_V1_Office.Method.inbox, Tally_V1_InboxRequest())
    }

    /// Answers a dispatch with text, and optionally a period report (`updates`) committed with it.
    public func answerDispatch(_ id: String, answer: String, updates: [Tally_V1_Update] = [], reportNote: String = "",
                               requestID: String = UUID().uuidString) async throws -> Tally_V1_AnswerDispatchResponse {
        var request = Tally_V1_AnswerDispatchRequest()
        request.requestID = requestID
        request.dispatchID = id
        request.answer = answer
        request.updates = updates
        request.reportNote = reportNote
        return try await call(Tally_V1_Office.Method.answerDispatch, request)
    }

    /// The department's inbox first, then each dispatch to it and each review of its reports as it
    /// commits. The stream ends with an error when the connection is lost (call again: the first
    /// event is the inbox as it then stands).
    public func watchInbox() -> AsyncThrowingStream<Tally_V1_InboxEvent, Error> {
        rpc.serverStreaming(Tally_V1_Office.Method.watchInbox, Tally_V1_WatchInboxRequest(), metadata: metadata, timeout: nil)
    }

    /// Accepts a submitted report.
    public func acceptReport(_ id: String, comment: String = "", requestID: String = UUID().uuidString) async throws
        -> Tally_V1_PeriodReport
    {
        try await review(id, .accept, comment: comment, requestID: requestID)
    }

    /// Returns a submitted report to its department with a comment saying what to correct.
    public func returnReport(_ id: String, comment: String, requestID: String = UUID().uuidString) async throws
        -> Tally_V1_PeriodReport
    {
        try await review(id, .return, comment: comment, requestID: requestID)
    }

    private func review(_ id: String, _ action: Tally_V1_ReviewAction, comment: String, requestID: String) async throws
        -> Tally_V1_PeriodReport
    {
        var request = Tally_V1_ReviewReportRequest()
        request.requestID = requestID
        request.reportID = id
        request.action = action
        request.comment = comment
        return try await call(Tally_V1_Office.Method.reviewReport, request)
    }

    /// Period reports with their review state, newest first (a department: its own only).
    public func listReports(department: String? = nil, state: Tally_V1_ReviewState = .unspecified) async throws
        -> [Tally_V1_PeriodReport]
    {
        var request = Tally_V1_ListReportsRequest()
        request.department = department ?? ""
        request.reviewState = state
        return try await call(Tally_V1_Office.Method.listReports, request).reports
    }
}
