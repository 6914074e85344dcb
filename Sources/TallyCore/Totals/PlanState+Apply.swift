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
            let target = try Self.target(of: change)
            try Self.check(target.id, change)
            targets[target.id] = target
        case .project, .register:
            let project = try Self.decode(ProjectRecord.self, change)
            try Self.check(project.id, change)
            projects[project.id] = project
        case .plan:
            try applyPlan(change)
        case .dispatch, .review:
            try dispatch.apply(change)
        }
        history.record(change)
        if let department = change.department, change.kind.isReport {
            recordReport(department: department, period: change.period, at: change.committedAt)
            recordLateness(department: department, period: change.period,
                           request: change.requestId.isEmpty ? "#\(change.sequence)" : change.requestId,
                           madeAt: change.reportedAt, committedAt: change.committedAt)
        }
        sequence = change.sequence
    }

    private mutating func applyPlan(_ change: ChangeRecord) throws(PlanStateError) {
        guard let field = PlanField(rawValue: change.field) else {
            throw PlanStateError(.unknownField, "change \(change.sequence): unknown plan field \(change.field)")
        }
        switch field {
        case .department:
            let record = try Self.decode(DepartmentRecord.self, change)
            try Self.check(record.code, change)
            departments[record.code] = record
        case .line:
            let record = try Self.decode(LineRecord.self, change)
            try Self.check(record.code, change)
            lines[record.code] = record
        case .target:
            let record = try Self.target(of: change)
            try Self.check(record.id, change)
            targets[record.id] = record
        case .batch:
            let record = try Self.decode(BatchRecord.self, change)
            try Self.check(record.id, change)
            batches[record.id] = record
        case .project:
            let record = try Self.decode(ProjectRecord.self, change)
            try Self.check(record.id, change)
            projects[record.id] = record
        case .period:
            let record = try Self.decode(PeriodRecord.self, change)
            try Self.check(record.code, change)
            periods[record.code] = record
        case .campaign:
            let record = try Self.decode(CampaignRecord.self, change)
            try Self.check(record.code, change)
            campaigns[record.code] = record
        }
    }

    /// The change's target: parsed already (by the writer), else from the entity.
    private static func target(of change: ChangeRecord) throws(PlanStateError) -> TargetRecord {
        if let target = change.parsedTarget.value { return target }
        return try decode(TargetRecord.self, change)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ change: ChangeRecord) throws(PlanStateError) -> T {
        do {
            return try change.decodeEntity(type)
        } catch {
            throw PlanStateError(.badEntity, "change \(change.sequence): entity is not a \(T.self): \(error)")
        }
    }

    private static func check(_ id: String, _ change: ChangeRecord) throws(PlanStateError) {
        guard id == change.subjectId else {
            throw PlanStateError(.badEntity, "change \(change.sequence): entity \(id) is not subject \(change.subjectId)")
        }
    }
}
