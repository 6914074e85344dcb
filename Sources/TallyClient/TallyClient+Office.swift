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
        try await createDispatch(.with {
            $0.requestID = requestID
            $0.title = title
            $0.instructions = instructions
            $0.departments = departments
            $0.subjects = subjects
            $0.dueUnixMs = due.unixMilliseconds
        })
    }

    /// Every open dispatch (and closed ones with `includeClosed`) with each department's state at the
    /// server's now, and each department's record of answers.
    public func listDispatches(includeClosed: Bool = false) async throws -> Tally_V1_ListDispatchesResponse {
        try await listDispatches(.with { $0.includeClosed = includeClosed })
    }

    /// Closes a dispatch: it takes no more answers.
    public func closeDispatch(_ id: String, requestID: String = UUID().uuidString) async throws -> Tally_V1_Dispatch {
        try await closeDispatch(.with {
            $0.requestID = requestID
            $0.dispatchID = id
        })
    }

    /// One dispatch (a department: only one addressed to it).
    public func dispatch(_ id: String) async throws -> Tally_V1_Dispatch {
        try await getDispatch(.with { $0.dispatchID = id })
    }

    /// The department's dispatches (open and unanswered first) and its returned reports awaiting correction.
    public func inbox() async throws -> Tally_V1_InboxResponse {
        try await inbox(Tally_V1_InboxRequest())
    }

    /// Answers a dispatch with text, and optionally a period report (`updates`) committed with it.
    public func answerDispatch(_ id: String, answer: String, updates: [Tally_V1_Update] = [], reportNote: String = "",
                               requestID: String = UUID().uuidString) async throws -> Tally_V1_AnswerDispatchResponse {
        try await answerDispatch(.with {
            $0.requestID = requestID
            $0.dispatchID = id
            $0.answer = answer
            $0.updates = updates
            $0.reportNote = reportNote
        })
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
        try await reviewReport(.with {
            $0.requestID = requestID
            $0.reportID = id
            $0.action = action
            $0.comment = comment
        })
    }

    /// Period reports with their review state, newest first (a department: its own only).
    public func listReports(department: String? = nil, state: Tally_V1_ReviewState = .unspecified) async throws
        -> [Tally_V1_PeriodReport]
    {
        try await listReports(.with {
            $0.department = department ?? ""
            $0.reviewState = state
        }).reports
    }
}
