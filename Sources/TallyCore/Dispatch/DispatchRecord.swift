import Foundation

/// A 调度 request of the central office: what it asks, of which departments, by when, and each
/// department's answer. Decoded from the change log's entity (Schema/007 `tally_dispatch_json`).
public struct DispatchRecord: Sendable, Hashable, Decodable {
    /// One addressed department and its answer, if it answered.
    public struct Recipient: Sendable, Hashable, Decodable {
        public var department: String
        public var answeredAt: Date?
        /// Credential id of the clerk who answered.
        public var answeredBy: String?
        public var answer: String
        /// The period report sent with the answer, if any.
        public var report: String?

        /// A recipient as recorded (unanswered unless `answeredAt` is given).
        public init(department: String, answeredAt: Date? = nil, answeredBy: String? = nil, answer: String = "",
                    report: String? = nil) {
            self.department = department
            self.answeredAt = answeredAt
            self.answeredBy = answeredBy
            self.answer = answer
            self.report = report
        }

        enum CodingKeys: String, CodingKey {
            case department, answer, report
            case answeredAt = "answered_ms"
            case answeredBy = "answered_by"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            department = try container.decode(String.self, forKey: .department)
            answeredAt = try container.decodeMillisecondsIfPresent(.answeredAt)
            answeredBy = try container.decodeIfPresent(String.self, forKey: .answeredBy)
            answer = try container.decode(.answer, default: "")
            report = try container.decodeIfPresent(String.self, forKey: .report)
        }
    }

    /// "D3", given by the server.
    public var id: String
    public var title: String
    /// What the departments should send.
    public var instructions: String
    /// Target or project ids the request concerns.
    public var subjects: [String]
    public var dueAt: Date
    public var createdAt: Date
    /// Credential id of the sender.
    public var createdBy: String
    public var closedAt: Date?
    public var closedBy: String?
    /// By department code.
    public var recipients: [Recipient]

    /// A request as recorded; the server gives ids ("D3") and instants (its now).
    public init(id: String, title: String, instructions: String = "", subjects: [String] = [], dueAt: Date,
                createdAt: Date, createdBy: String, closedAt: Date? = nil, closedBy: String? = nil,
                recipients: [Recipient]) {
        self.id = id
        self.title = title
        self.instructions = instructions
        self.subjects = subjects
        self.dueAt = dueAt
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.closedAt = closedAt
        self.closedBy = closedBy
        self.recipients = recipients
    }

    /// Whether the request is addressed to the department.
    public func isAddressed(to department: String) -> Bool {
        recipients.contains { $0.department == department }
    }

    enum CodingKeys: String, CodingKey {
        case id, title, instructions, subjects, recipients
        case dueAt = "due_ms"
        case createdAt = "created_ms"
        case createdBy = "created_by"
        case closedAt = "closed_ms"
        case closedBy = "closed_by"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        title = try container.decode(String.self, forKey: .title)
        instructions = try container.decode(.instructions, default: "")
        subjects = try container.decode(.subjects, default: [])
        dueAt = try container.decodeMilliseconds(.dueAt)
        createdAt = try container.decodeMilliseconds(.createdAt)
        createdBy = try container.decode(.createdBy, default: "")
        closedAt = try container.decodeMillisecondsIfPresent(.closedAt)
        closedBy = try container.decodeIfPresent(String.self, forKey: .closedBy)
        recipients = try container.decode(.recipients, default: [])
    }
}
