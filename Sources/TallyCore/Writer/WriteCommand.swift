/// One command for the writer, encoded as the JSON object that `tally_apply_batch` (Schema/002) reads.
/// Field names are the SQL function's keys; nil fields are left out.
struct WriteCommand: Encodable, Sendable {
    var op: String
    var credential: String
    var role: String
    var department: String?
    var request_id: String?
    var period: String?
    var note: String?
    /// When the clerk made it, if before it arrived (ISO 8601); Schema/005 records it in the change log.
    var made_at: String?
    // report_target
    var target_id: String?
    var set_value: String?
    var increment: String?
    var unit: String?
    var expected_version: Int64?
    // report_project
    var project_id: String?
    var stage: String?
    var investment_completed: String?
    var percent: String?
    var correction: Bool?
    var correction_reason: String?
    // register_project
    var batch_id: String?
    var name: String?
    var planned_investment: String?
    var co_departments: [String]?
    // period_report
    var updates: [WriteCommand]?
    // upsert
    var entity_type: String?
    var entity: PlanEntity?

    init(op: String, principal: Principal, requestID: String?) {
        self.op = op
        self.credential = principal.credentialID
        self.role = principal.role.rawValue
        self.department = principal.department
        self.request_id = requestID
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
