import Foundation

/// How the departments stand with the central office's 调度 requests at one instant: which
/// (request, department) pairs are overdue, and per department how many requests it answered on
/// time, answered late, left overdue, or still has open. Pure: computed from the requests and a
/// moment (the server's now, pinned in tests), never stored and never run by a timer, so it cannot
/// miss a due time. Early warnings (an overdue request) and the ranking (answers to requests) read it.
///
/// Rules: a department's answer is late when it came after the due time. An unanswered department
/// is overdue once the due time has passed (strictly after it); a closed request stops the clock at
/// its closing, so one closed before its due time leaves no one overdue. Only open requests give
/// `overdue` pairs (what to warn about); the per-department counts include closed ones (a record).
public struct DispatchStanding: Sendable, Hashable {
    /// One addressed department's state for one request at the instant.
    public enum State: Sendable, Hashable {
        /// Not answered, not yet due (or closed before its due time).
        case open
        /// Answered; `late` when after the due time.
        case answered(late: Bool)
        /// Not answered and past the due time.
        case overdue
    }

    /// An open request a department has not answered by its due time.
    public struct OverduePair: Sendable, Hashable {
        public var dispatch: String
        public var department: String
        public var dueAt: Date
    }

    /// A department's record over every request addressed to it.
    public struct Counts: Sendable, Hashable {
        public var answeredOnTime = 0
        public var answeredLate = 0
        /// Unanswered past the due time (closed requests included).
        public var overdue = 0
        /// Unanswered, not due yet, request still open.
        public var open = 0

        public init() {}

        /// Requests it answered, on time or late.
        public var answered: Int { answeredOnTime + answeredLate }
    }

    /// Overdue pairs of open requests, by due time, then request and department.
    public var overdue: [OverduePair]
    /// Counts per department code (departments that were never addressed are absent).
    public var departments: [String: Counts]
    /// The instant it was computed at.
    public var instant: Date

    /// The standing of `dispatches` at `instant`.
    public init(dispatches: some Sequence<DispatchRecord>, at instant: Date) {
        var overdue: [OverduePair] = []
        var departments: [String: Counts] = [:]
        for dispatch in dispatches {
            for recipient in dispatch.recipients {
                var counts = departments[recipient.department] ?? Counts()
                switch Self.state(of: recipient, in: dispatch, at: instant) {
                case .answered(let late):
                    if late { counts.answeredLate += 1 } else { counts.answeredOnTime += 1 }
                case .overdue:
                    counts.overdue += 1
                    if dispatch.closedAt == nil {
                        overdue.append(OverduePair(dispatch: dispatch.id, department: recipient.department, dueAt: dispatch.dueAt))
                    }
                case .open:
                    if dispatch.closedAt == nil { counts.open += 1 }
                }
                departments[recipient.department] = counts
            }
        }
        self.overdue = overdue.sorted { ($0.dueAt, $0.dispatch, $0.department) < ($1.dueAt, $1.dispatch, $1.department) }
        self.departments = departments
        self.instant = instant
    }

    /// One department's state for a request at an instant.
    public static func state(of recipient: DispatchRecord.Recipient, in dispatch: DispatchRecord, at instant: Date) -> State {
        if let answeredAt = recipient.answeredAt { return .answered(late: answeredAt > dispatch.dueAt) }
        let clock = dispatch.closedAt.map { min($0, instant) } ?? instant
        return clock > dispatch.dueAt ? .overdue : .open
    }

    /// Whether the department has the request overdue now.
    public func isOverdue(dispatch: String, department: String) -> Bool {
        overdue.contains { $0.dispatch == dispatch && $0.department == department }
    }
}
