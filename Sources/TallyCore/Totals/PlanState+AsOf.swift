import Foundation
import TallyStore

extension PlanState {
    /// The state as it stood at an instant, replayed from the change log: the last change committed
    /// by then fixes the sequence, and every record changed later is taken back to its state then.
    /// A plan change logs the record's previous state (Schema/010), so plan edits, and records a plan
    /// added, are undone exactly; a reported figure, stage, percent or share takes the old value of
    /// its first later report; a project registered later is left out. Who reported in which period,
    /// and late reports, count only changes up to then. Read in one REPEATABLE READ snapshot.
    ///
    /// Plan changes logged before Schema/010 carry no previous state: such an edit of an existing
    /// record stays as edited (a target or project a plan added then is still left out).
    public static func load(_ connection: PostgresConnection, asOf instant: Date) throws -> PlanState {
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
            let cutoff = try connection.executePrepared(
                "SELECT COALESCE(max(sequence), 0) FROM change_log WHERE committed_at <= $1::timestamptz",
                [.text(Timestamp.format(instant))])
            let sequence = try cutoff.rows.first?.decode(Int64.self, at: 0) ?? 0
            var state = try read(connection, reportsUpTo: sequence)
            let later = try ChangeLogReader.read(connection, after: sequence, limit: Int.max / 2)
            let previous = try connection.executePrepared(
                "SELECT sequence, previous::text FROM change_log WHERE sequence > $1 AND kind = 'plan' AND previous IS NOT NULL",
                [.int64(sequence)])
            var before: [Int64: String] = [:]
            for row in previous.rows { before[try row.decode(Int64.self, at: 0)] = try row.decode(String.self, at: 1) }
            state.undo(later, previous: before)
            state.sequence = sequence
            try connection.execute("COMMIT")
            return state
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Takes every record changed in `later` (in order) back to its state before them. `previous`
    /// holds, by sequence, a plan change's record before it ("null" when the change created it).
    mutating func undo(_ later: [ChangeRecord], previous: [Int64: String]) {
        // 1. Plan records: each as its first later plan change found it.
        var seenPlan: Set<String> = []
        var firstChange: [String: ChangeRecord] = [:]
        for change in later {
            let key = Self.recordKey(change)
            if firstChange[key] == nil { firstChange[key] = change }
            guard change.kind == .plan, seenPlan.insert(key).inserted else { continue }
            if let text = previous[change.sequence] {
                restore(field: change.field, id: change.subjectId, from: text)
            } else if Self.createdByLegacyPlan(change) {
                restore(field: change.field, id: change.subjectId, from: "null")
            }
        }
        // 2. Reported figures: each field as its first later report found it.
        var seenField: Set<String> = []
        for change in later where change.kind == .target || change.kind == .project {
            let field = change.field == "share_investment" ? "share_investment:\(change.department ?? "")" : change.field
            guard seenField.insert("\(change.kind.rawValue) \(change.subjectId) \(field)").inserted else { continue }
            if change.kind == .target {
                if change.field == "current_figure", let old = Decimal(exact: change.oldValue) {
                    targets[change.subjectId]?.currentFigure = old
                }
            } else if var project = projects[change.subjectId] {
                project.takeBack(change)
                projects[change.subjectId] = project
            }
        }
        // 3. Versions and registrations: a record first changed later by a report is one version
        //    down from that report's; one first changed by its registration did not exist yet.
        for first in firstChange.values {
            switch first.kind {
            case .register: projects[first.subjectId] = nil
            case .target:
                if let version = (try? first.decodeEntity(TargetRecord.self))?.version, targets[first.subjectId] != nil {
                    targets[first.subjectId]?.version = version - 1
                }
            case .project:
                if let version = (try? first.decodeEntity(ProjectRecord.self))?.version, projects[first.subjectId] != nil {
                    projects[first.subjectId]?.version = version - 1
                }
            case .plan, .dispatch, .review: break
            }
        }
    }

    /// One key per record, whatever the kind of change: periods and campaigns share codes ("2023").
    private static func recordKey(_ change: ChangeRecord) -> String {
        switch change.kind {
        case .target: "target \(change.subjectId)"
        case .project, .register: "project \(change.subjectId)"
        case .plan: "\(change.field) \(change.subjectId)"
        case .dispatch, .review: "\(change.kind.rawValue) \(change.subjectId)"
        }
    }

    /// A target or project a plan change logged before Schema/010 created (its first version).
    private static func createdByLegacyPlan(_ change: ChangeRecord) -> Bool {
        switch change.field {
        case PlanField.target.rawValue: (try? change.decodeEntity(TargetRecord.self))?.version ?? 0 <= 1
        case PlanField.project.rawValue: (try? change.decodeEntity(ProjectRecord.self))?.version ?? 0 <= 1
        default: false
        }
    }

    /// Puts back a plan record from its logged JSON ("null": it did not exist).
    private mutating func restore(field: String, id: String, from text: String) {
        let absent = text == "null"
        func record<T: Decodable>(_ type: T.Type) -> T? { absent ? nil : try? EntityJSON.decode(type, from: text) }
        switch PlanField(rawValue: field) {
        case .department: departments[id] = record(DepartmentRecord.self)
        case .line: lines[id] = record(LineRecord.self)
        case .target: targets[id] = record(TargetRecord.self)
        case .batch: batches[id] = record(BatchRecord.self)
        case .project: projects[id] = record(ProjectRecord.self)
        case .period: periods[id] = record(PeriodRecord.self)
        case .campaign: campaigns[id] = record(CampaignRecord.self)
        case nil: break
        }
    }
}

extension ProjectRecord {
    /// Puts back the value a reported change replaced (stage, investment, percent or a department's share).
    mutating func takeBack(_ change: ChangeRecord) {
        let old = Decimal(exact: change.oldValue)
        switch change.field {
        case "stage": if let stage = Stage(rawValue: change.oldValue) { self.stage = stage }
        case "investment_completed": if let old { investmentCompleted = old }
        case "percent": if let old { percent = old }
        case "share_investment":
            if let old, let index = shares.firstIndex(where: { $0.department == change.department }) {
                shares[index].investmentCompleted = old
            }
        default: break
        }
    }
}
