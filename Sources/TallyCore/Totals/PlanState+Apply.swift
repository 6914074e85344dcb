import Foundation

extension PlanState {
    /// Moves the state forward by one committed change: the subject is replaced by the change's
    /// entity snapshot and the change's department is marked as having reported in `change.period`.
    ///
    /// Changes must arrive in order with no gap (`change.sequence == sequence + 1`); otherwise this
    /// throws `.sequenceGap` and changes nothing, and the caller reloads the state from the database.
    public mutating func apply(_ change: ChangeRecord) throws(PlanStateError) {
        guard change.sequence == sequence + 1 else {
            throw PlanStateError(.sequenceGap, "expected change \(sequence + 1), got \(change.sequence)")
        }
        switch change.kind {
        case .target:
            targets[change.subjectId] = try Self.checked(Self.target(of: change), id: \.id, change)
        case .project, .register:
            projects[change.subjectId] = try Self.record(ProjectRecord.self, id: \.id, change)
        case .plan:
            try applyPlan(change)
        case .dispatch, .review:
            try dispatch.apply(change)
        }
        history.record(change)
        if let department = change.department, change.kind.isReport {
            recordReport(department: department, period: change.period, at: change.committedAt)
            recordLateness(department: department, period: change.period,
                           request: Self.lateRequestKey(credential: change.credential, requestID: change.requestId,
                                                        sequence: change.sequence),
                           madeAt: change.reportedAt, committedAt: change.committedAt)
        }
        sequence = change.sequence
    }

    private mutating func applyPlan(_ change: ChangeRecord) throws(PlanStateError) {
        guard let field = PlanField(rawValue: change.field) else {
            throw PlanStateError(.unknownField, "change \(change.sequence): unknown plan field \(change.field)")
        }
        // The entity is the subject (checked), so the subject's id keys it.
        let id = change.subjectId
        switch field {
        case .department: departments[id] = try Self.record(DepartmentRecord.self, id: \.code, change)
        case .line: lines[id] = try Self.record(LineRecord.self, id: \.code, change)
        case .target: targets[id] = try Self.checked(Self.target(of: change), id: \.id, change)
        case .batch: batches[id] = try Self.record(BatchRecord.self, id: \.id, change)
        case .project: projects[id] = try Self.record(ProjectRecord.self, id: \.id, change)
        case .period: periods[id] = try Self.record(PeriodRecord.self, id: \.code, change)
        case .campaign: campaigns[id] = try Self.record(CampaignRecord.self, id: \.code, change)
        }
    }

    /// The change's target: parsed already (by the writer), else from the entity.
    private static func target(of change: ChangeRecord) throws(PlanStateError) -> TargetRecord {
        if let target = change.parsedTarget.value { return target }
        return try entity(TargetRecord.self, change) { try $0.decodeTarget() }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ change: ChangeRecord) throws(PlanStateError) -> T {
        try entity(type, change) { try $0.decodeEntity(type) }
    }

    /// The change's entity as `read` makes it; BAD_ENTITY naming the change when it cannot.
    private static func entity<T>(_ type: T.Type, _ change: ChangeRecord, _ read: (ChangeRecord) throws -> T)
        throws(PlanStateError) -> T {
        do {
            return try read(change)
        } catch {
            throw PlanStateError(.badEntity, "change \(change.sequence): entity is not a \(T.self): \(error)")
        }
    }

    /// The change's entity as a `T`, checked to be its subject.
    private static func record<T: Decodable>(_ type: T.Type, id: KeyPath<T, String>, _ change: ChangeRecord)
        throws(PlanStateError) -> T {
        try checked(decode(type, change), id: id, change)
    }

    /// The record, when its id is the change's subject.
    private static func checked<T>(_ record: T, id: KeyPath<T, String>, _ change: ChangeRecord) throws(PlanStateError) -> T {
        guard record[keyPath: id] == change.subjectId else {
            throw PlanStateError(.badEntity, "change \(change.sequence): entity \(record[keyPath: id]) is not subject \(change.subjectId)")
        }
        return record
    }
}
