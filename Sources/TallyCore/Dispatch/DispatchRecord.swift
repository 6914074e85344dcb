import Foundation

/// A 调度 request of the central office: what it asks, of which departments, by when, and each
/// department's answer. Decoded from the change log's entity (Schema/007 `tally_dispatch_json`).
public struct DispatchRecord: Sendable, Hashable, Decodable {
    /// One addressed department and its answer, if it answered.
    public struct Recipient: Sendable, Hashable, Codable {
        public var department: String
        @UnixInstantIfAny public var answeredAt: Date? = nil
        /// Credential id of the clerk who answered.
        public var answeredBy: String? = nil
        @Defaulted public var answer: String = ""
        /// The period report sent with the answer, if any.
        public var report: String? = nil

        enum CodingKeys: String, CodingKey {
            case department, answeredAt = "answered_ms", answeredBy = "answered_by", answer, report
        }
    }

    /// "D3", given by the server.
    public var id: String
    public var title: String
    /// What the departments should send.
    @Defaulted public var instructions: String = ""
    /// Target or project ids the request concerns.
    @Defaulted public var subjects: [String] = []
    @UnixInstant public var dueAt: Date
    @UnixInstant public var createdAt: Date
    /// Credential id of the sender.
    @Defaulted public var createdBy: String
    @UnixInstantIfAny public var closedAt: Date? = nil
    public var closedBy: String? = nil
    /// By department code.
    @Defaulted public var recipients: [Recipient]

    /// Whether the request is addressed to the department.
    public func isAddressed(to department: String) -> Bool {
        recipients.contains { $0.department == department }
    }

    enum CodingKeys: String, CodingKey {
        case id, title, instructions, subjects, dueAt = "due_ms", createdAt = "created_ms"
        case createdBy = "created_by", closedAt = "closed_ms", closedBy = "closed_by", recipients
    }
}
