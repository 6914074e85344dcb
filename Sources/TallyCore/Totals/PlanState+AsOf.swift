import Foundation
import TallyStore

extension PlanState {
    /// The state as it stood at an instant, replayed from the change log: the last change committed
    /// by then fixes the sequence; each target and project changed later is taken back to its state
    /// before that later change (the change's entity with the changed fields' old values, one version
    /// down); those that a later change created (registered, or added by a plan) are left out; who
    /// reported in which period counts only changes up to then. Read in one REPEATABLE READ snapshot.
    ///
    /// Figures are exact for reports. A plan edit of an existing record after the instant is not
    /// undone field by field (the log keeps its new state only): the record shows the edited plan.
    public static func load(_ connection: PostgresConnection, asOf instant: Date) throws -> PlanState {
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
            var state = try read(connection)
            let cutoff = try connection.executePrepared(
                "SELECT COALESCE(max(sequence), 0) FROM change_log WHERE committed_at <= $1::timestamptz",
                [.text(Timestamp.format(instant))])
            let sequence = try cutoff.rows.first?.decode(Int64.self, at: 0) ?? 0
            let later = try ChangeLogReader.read(connection, after: sequence, limit: Int.max / 2)
            state.undo(later)
            state.sequence = sequence
            state.reports = [:]
            let reports = try connection.executePrepared("""
                SELECT department, period, max(committed_at) FROM change_log
                WHERE department IS NOT NULL AND kind IN ('target', 'project', 'register') AND sequence <= $1::bigint GROUP BY department, period
                """, [.text(String(sequence))])
            for row in reports.rows {
                state.recordReport(department: try row.decode(String.self, at: 0), period: try row.decode(String.self, at: 1),
                                   at: try row.decode(Date.self, at: 2))
            }
            try connection.execute("COMMIT")
            return state
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Takes each target and project back to its state before the earliest of `later` (in order).
    mutating func undo(_ later: [ChangeRecord]) {
        var earliest: [String: ChangeRecord] = [:]
        var rowsOfEarliestWrite: [String: [ChangeRecord]] = [:]
        for change in later where Self.touchesFigures(change) {
            if let first = earliest[change.subjectId] {
                // The rows of one write are consecutive and carry the same entity.
                if change.entity == first.entity { rowsOfEarliestWrite[change.subjectId, default: []].append(change) }
                continue
            }
            earliest[change.subjectId] = change
            rowsOfEarliestWrite[change.subjectId] = [change]
        }
        for (subject, first) in earliest {
            let rows = rowsOfEarliestWrite[subject] ?? [first]
            let isTarget = first.kind == .target || (first.kind == .plan && first.field == PlanField.target.rawValue)
            if isTarget {
                guard var target = try? first.decodeEntity(TargetRecord.self), !(first.kind == .plan && target.version <= 1)
                else { targets[subject] = nil; continue }
                for row in rows where row.field == "current_figure" {
                    if let old = Decimal(exact: row.oldValue) { target.currentFigure = old }
                }
                target.version -= 1
                targets[subject] = target
            } else {
                guard var project = try? first.decodeEntity(ProjectRecord.self), first.kind != .register,
                      !(first.kind == .plan && project.version <= 1)
                else { projects[subject] = nil; continue }
                for row in rows {
                    switch row.field {
                    case "stage": if let old = Stage(rawValue: row.oldValue) { project.stage = old }
                    case "investment_completed": if let old = Decimal(exact: row.oldValue) { project.investmentCompleted = old }
                    case "percent": if let old = Decimal(exact: row.oldValue) { project.percent = old }
                    default: break
                    }
                }
                project.version -= 1
                projects[subject] = project
            }
        }
    }

    /// Changes of a target's or project's state (reports, registrations, plan changes to them).
    private static func touchesFigures(_ change: ChangeRecord) -> Bool {
        switch change.kind {
        case .target, .project, .register: true
        case .plan: change.field == PlanField.target.rawValue || change.field == PlanField.project.rawValue
        case .dispatch, .review: false
        }
    }
}
