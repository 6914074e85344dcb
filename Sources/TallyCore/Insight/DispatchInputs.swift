import Foundation

/// What 调度 requests add to warnings and the ranking: which departments are overdue on which
/// request, and how each department has answered. A source of its own (the dispatch feature)
/// plugs in through ``DispatchInputSource``; without one there are no requests.
public struct DispatchInputs: Sendable, Hashable {
    /// A request a department has not answered by its due time.
    public struct Overdue: Sendable, Hashable {
        public var request: String
        public var department: String
        public var title: String
        public var dueAt: Date

        public init(request: String, department: String, title: String, dueAt: Date) {
            self.request = request
            self.department = department
            self.title = title
            self.dueAt = dueAt
        }
    }

    /// How one department answered the requests due by the instant.
    public struct Answers: Sendable, Hashable {
        public var onTime: Int
        public var late: Int
        public var overdue: Int

        public init(onTime: Int = 0, late: Int = 0, overdue: Int = 0) {
            self.onTime = onTime
            self.late = late
            self.overdue = overdue
        }

        /// Requests due by the instant.
        public var due: Int { onTime + late + overdue }
    }

    public var overdue: [Overdue]
    /// Department code → its answers; a department with no entry had no request due.
    public var answers: [String: Answers]

    public init(overdue: [Overdue] = [], answers: [String: Answers] = [:]) {
        self.overdue = overdue
        self.answers = answers
    }

    /// No requests at all.
    public static let none = DispatchInputs()
}

/// Where 调度 inputs come from at an instant (the dispatch feature's standing of its requests).
public protocol DispatchInputSource: Sendable {
    func dispatchInputs(at instant: Date) -> DispatchInputs
}
