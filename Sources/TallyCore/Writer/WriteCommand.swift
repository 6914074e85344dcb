/// One command for the writer: one case per operation, each with its own fields. Sent (``Sent``)
/// with its ``Envelope`` as the JSON object that `tally_apply_batch` (Schema/002, 003) reads:
/// `op`, who sends it (`credential`, `role`, `department`), the request id and period, then the
/// operation's fields; nil fields are left out.
///
/// Swift checks a command's shape before it is built (sizes, units, numbers, roles:
/// ``Validation``); SQL checks only what needs the row.
enum WriteCommand: Sendable {
    case reportTarget(ReportTarget)
    case reportProject(ReportProject)
    case registerProject(RegisterProject)
    case periodReport(PeriodReport)
    case upsert(Upsert)
    /// The central office's work (Schema/007; fields in WriteCommand+Office.swift).
    case dispatchCreate(DispatchCreate)
    case dispatchAnswer(DispatchAnswer)
    case dispatchClose(DispatchClose)
    case review(Review)

    /// Who sends a command and under which request id, common to every operation.
    struct Envelope: Encodable, Sendable {
        var credential: String
        var role: String
        var department: String?
        var request_id: String?
        var period: String?
        /// When the clerk made it, if before it arrived (ISO 8601); Schema/005 records it in the change log.
        var made_at: String?
        /// The server's now (ISO 8601) for the office's records (Schema/007): the pinned now of a
        /// server pinned for tests, so that due times and answers compare on one clock.
        var server_at: String?

        init(principal: Principal, requestID: String?, period: String? = nil) {
            credential = principal.credentialID
            role = principal.role.rawValue
            department = principal.department
            request_id = requestID
            self.period = period
        }
    }

    /// A target's figure: set to a value, or moved by an increment.
    struct ReportTarget: Encodable, Sendable {
        var target_id: String
        var set_value: String?
        var increment: String?
        var unit: String?
        var expected_version: Int64?
        var note: String?
    }

    /// A project's stage, completed investment or percent (at least one of them).
    struct ReportProject: Encodable, Sendable {
        var project_id: String
        var stage: String?
        var investment_completed: String?
        var percent: String?
        var expected_version: Int64?
        var correction: Bool?
        var correction_reason: String?
        var note: String?
    }

    /// A new project in one of the department's batches.
    struct RegisterProject: Encodable, Sendable {
        var batch_id: String
        var name: String
        var project_id: String?
        var planned_investment: String?
        var stage: String?
        var co_departments: [String]
        var note: String?
    }

    /// Several updates applied all or none, with the report's note.
    struct PeriodReport: Encodable, Sendable {
        var updates: [Update]
        var note: String?
        /// The returned report this one corrects (Schema/007).
        var resubmits: String?

        /// One update of a period report: a target's or a project's.
        enum Update: Encodable, Sendable {
            case target(ReportTarget)
            case project(ReportProject)

            func encode(to encoder: any Encoder) throws {
                switch self {
                case .target(let update): try update.encode(to: encoder)
                case .project(let update): try update.encode(to: encoder)
                }
            }
        }
    }

    /// A plan entity written by the central office or an admin.
    struct Upsert: Encodable, Sendable {
        var entity_type: String
        var entity: PlanEntity

        init(_ entity: PlanEntity) {
            entity_type = entity.typeName
            self.entity = entity
        }
    }

    /// The SQL function's name for the operation.
    var op: String {
        switch self {
        case .reportTarget: "report_target"
        case .reportProject: "report_project"
        case .registerProject: "register_project"
        case .periodReport: "period_report"
        case .upsert: "upsert"
        case .dispatchCreate: "dispatch_create"
        case .dispatchAnswer: "dispatch_answer"
        case .dispatchClose: "dispatch_close"
        case .review: "review"
        }
    }

    private enum Key: String, CodingKey { case op }

    /// Encodes `envelope` and the operation into one flat JSON object.
    func encode(envelope: Envelope, to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(op, forKey: .op)
        try envelope.encode(to: encoder)
        switch self {
        case .reportTarget(let fields): try fields.encode(to: encoder)
        case .reportProject(let fields): try fields.encode(to: encoder)
        case .registerProject(let fields): try fields.encode(to: encoder)
        case .periodReport(let fields): try fields.encode(to: encoder)
        case .upsert(let fields): try fields.encode(to: encoder)
        case .dispatchCreate(let fields): try fields.encode(to: encoder)
        case .dispatchAnswer(let fields): try fields.encode(to: encoder)
        case .dispatchClose(let fields): try fields.encode(to: encoder)
        case .review(let fields): try fields.encode(to: encoder)
        }
    }

    /// A command with who sends it: what the writer queues.
    struct Sent: Encodable, Sendable {
        var envelope: Envelope
        var command: WriteCommand

        func encode(to encoder: any Encoder) throws {
            try command.encode(envelope: envelope, to: encoder)
        }
    }
}

/// A plan entity sent by an upsert, encoded with the column names of its table.
enum PlanEntity: Encodable, Sendable {
    case department(DepartmentRecord)
    case line(LineRecord)
    case target(TargetRecord)
    case batch(BatchRecord)
    case project(ProjectRecord)

    var typeName: String {
        switch self {
        case .department: "department"
        case .line: "line"
        case .target: "target"
        case .batch: "batch"
        case .project: "project"
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .department(let value): try value.encode(to: encoder)
        case .line(let value): try value.encode(to: encoder)
        case .target(let value): try value.encode(to: encoder)
        case .batch(let value): try value.encode(to: encoder)
        case .project(let value): try value.encode(to: encoder)
        }
    }
}
