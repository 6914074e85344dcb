import Foundation
import TallyMessages

/// What kind of change a change-log row records; the entity JSON's type follows from it.
public enum ChangeKind: String, Sendable, Codable, CaseIterable {
    /// A figure report; entity = the target.
    case target
    /// A progress report; entity = the project.
    case project
    /// A newly registered project; entity = the project.
    case register
    /// An admin upsert of the plan; `field` names the record type and entity = that record.
    case plan
    /// A 调度 request created, answered or closed (`field`); entity = the request (``DispatchRecord``).
    case dispatch
    /// A period report submitted, accepted or returned (`field`); entity = the report (``PeriodReportRecord``).
    case review

    /// Whether the change reports figures or progress (and so counts as the department reporting).
    public var isReport: Bool {
        switch self {
        case .target, .project, .register: true
        case .plan, .dispatch, .review: false
        }
    }
}

/// The plan record types an admin `plan` change can carry, named by the change's `field`.
public enum PlanField: String, Sendable, Codable, CaseIterable {
    case department
    case line
    case target
    case batch
    case project
    case period
    case campaign
}

/// One accepted change: a row of the append-only `change_log`.
public struct ChangeRecord: Sendable, Hashable {
    public var sequence: Int64
    public var committedAt: Date
    /// Reporting period the change belongs to ("2023-03").
    public var period: String
    /// The credential's department; nil for central and admin credentials.
    public var department: String?
    /// Credential id, never the token.
    public var credential: String?
    public var kind: ChangeKind
    public var subjectId: String
    public var field: String
    public var oldValue: String
    public var newValue: String
    public var note: String
    public var requestId: String
    /// The subject's full state after the change, as JSON text.
    public var entity: String
    /// When the report was made, if before it arrived (queued offline); nil when made as committed.
    public var madeAt: Date?
    /// `entity` already parsed as a target by whoever read it first (the writer), so that the
    /// write's answer and the totals share one parse.
    public var parsedTarget = ParsedTarget()

    /// A parse of `entity` carried along with it; not part of the record's value (equality and
    /// hashing ignore it: it only says again what `entity` says).
    public struct ParsedTarget: Sendable, Hashable {
        public var value: TargetRecord?

        public init(_ value: TargetRecord? = nil) { self.value = value }
        public static func == (lhs: Self, rhs: Self) -> Bool { true }
        public func hash(into hasher: inout Hasher) {}
    }

    public init(sequence: Int64, committedAt: Date, period: String, department: String?, credential: String?,
                kind: ChangeKind, subjectId: String, field: String, oldValue: String = "", newValue: String = "",
                note: String = "", requestId: String = "", entity: String, madeAt: Date? = nil) {
        self.sequence = sequence
        self.committedAt = committedAt
        self.period = period
        self.department = department
        self.credential = credential
        self.kind = kind
        self.subjectId = subjectId
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.note = note
        self.requestId = requestId
        self.entity = entity
        self.madeAt = madeAt
    }

    /// When the report was made: `madeAt`, else when it was committed.
    public var reportedAt: Date { madeAt ?? committedAt }

    /// Decodes the entity JSON as the given record type.
    public func decodeEntity<T: Decodable>(_ type: T.Type) throws -> T {
        try EntityJSON.decode(type, from: entity)
    }

    /// The entity as a target: read by ``TargetRecord/init(flatJSON:)`` when it has the database's
    /// shape (every target change does), else decoded as above.
    func decodeTarget() throws -> TargetRecord {
        try TargetRecord(flatJSON: entity) ?? decodeEntity(TargetRecord.self)
    }

    /// The wire message of this change (no entity: subscribers get the moved totals instead).
    public var proto: Tally_V1_Change {
        var message = Tally_V1_Change()
        message.sequence = sequence
        message.committedUnixMs = CivilDate.milliseconds(of: committedAt)
        message.department = department ?? ""
        message.credential = credential ?? ""
        message.kind = kind.rawValue
        message.subjectID = subjectId
        message.field = field
        message.oldValue = oldValue
        message.newValue = newValue
        message.note = note
        message.requestID = requestId
        message.period = period
        message.madeAtUnixMs = madeAt.map(CivilDate.milliseconds(of:)) ?? 0
        return message
    }
}
