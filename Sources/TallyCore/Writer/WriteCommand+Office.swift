import Foundation

/// The central office's commands (Schema/007): dispatches (调度 requests) and review (审核).
extension WriteCommand {
    /// A new dispatch to some departments, due at an instant.
    struct DispatchCreate: Encodable, Sendable {
        var title: String
        var instructions: String
        var departments: [String]
        var subjects: [String]
        /// ISO 8601.
        var due_at: String
    }

    /// A department's answer, with the period report sent with it (no updates: text only).
    struct DispatchAnswer: Encodable, Sendable {
        var dispatch_id: String
        var answer: String
        var updates: [PeriodReport.Update]
        /// The report's note.
        var note: String?
    }

    /// Closes a dispatch.
    struct DispatchClose: Encodable, Sendable {
        var dispatch_id: String
    }

    /// Accepts or returns a submitted report.
    struct Review: Encodable, Sendable {
        enum Action: String, Encodable, Sendable {
            case accept
            case `return`
        }

        var report_id: String
        var action: Action
        var comment: String
    }
}
