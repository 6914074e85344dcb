import Foundation
import TallyStore

extension PlanState {
    /// Rebuilds the state from the database: the plan tables, who reported in which period, and the
    /// change-log position, all read in one REPEATABLE READ snapshot so that the sequence matches the rows.
    public static func load(_ connection: PostgresConnection) throws -> PlanState {
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
            let state = try read(connection)
            try connection.execute("COMMIT")
            return state
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }

    static func read(_ connection: PostgresConnection, reportsUpTo: Int64? = nil) throws -> PlanState {
        func records<T: Decodable>(_ type: T.Type, _ sql: String) throws -> [T] {
            try connection.execute(sql).rows.map { row in
                try EntityJSON.decode(type, from: try row.decode(String.self, at: 0))
            }
        }
        let departments = try records(DepartmentRecord.self, "SELECT to_jsonb(d)::text FROM departments d")
        let lines = try records(LineRecord.self, "SELECT to_jsonb(l)::text FROM lines l")
        let targets = try records(TargetRecord.self, "SELECT tally_target_json(t)::text FROM targets t")
        let projects = try records(ProjectRecord.self, "SELECT tally_project_json(p.id)::text FROM projects p")
        let batches = try records(BatchRecord.self, "SELECT tally_batch_json(b)::text FROM batches b")
        let periods = try connection.execute("SELECT code, kind, starts_at, ends_at, due_at FROM periods").rows.map {
            row in
            guard let kind = PeriodRecord.Kind(rawValue: try row.decode(String.self, at: 1)) else {
                throw PlanStateError(.badEntity, "period kind")
            }
            return PeriodRecord(code: try row.decode(String.self, at: 0), kind: kind,
                                startsAt: try row.decode(Date.self, at: 2), endsAt: try row.decode(Date.self, at: 3),
                                dueAt: try row.decode(Date.self, at: 4))
        }
        let head = try connection.execute("SELECT sequence FROM change_log_head WHERE id = 1")
        let sequence = try head.rows.first?.decode(Int64.self, at: 0) ?? 0
        let year = periods.filter { $0.kind == .year }.map(\.code).min() ?? ""
        var state = PlanState(departments: departments, lines: lines, periods: periods, targets: targets,
                              batches: batches, projects: projects, sequence: sequence, year: year)
        let campaigns = try records(CampaignRecord.self, "SELECT to_jsonb(c)::text FROM campaigns c")
        state.campaigns = Dictionary(campaigns.map { ($0.code, $0) }, uniquingKeysWith: { $1 })
        state.history = try FigureHistory.read(connection)
        state.dispatch = try DispatchBook.read(connection)
        try state.readReports(connection, upTo: reportsUpTo)
        return state
    }

    /// Who reported in which period and when, and the late deliveries and reports, from the changes
    /// up to a sequence (nil: all of them); departments' reports only, not plan changes.
    private mutating func readReports(_ connection: PostgresConnection, upTo last: Int64?) throws {
        reports = [:]
        let bound = [PostgresValue.int64(last ?? Int64.max)]
        let reported = try connection.executePrepared("""
            SELECT department, period, max(committed_at) FROM change_log
            WHERE department IS NOT NULL AND kind IN ('target', 'project', 'register') AND sequence <= $1 GROUP BY department, period
            """, bound)
        for row in reported.rows {
            recordReport(department: try row.decode(String.self, at: 0), period: try row.decode(String.self, at: 1),
                         at: try row.decode(Date.self, at: 2))
        }
        // Counted as recordLateness counts them: one per request (credential and request id; a
        // change without one is a request of its own), by when it was made.
        let late = try connection.executePrepared("""
            SELECT department, count(DISTINCT request) FILTER (WHERE made <= due),
                   count(DISTINCT request) FILTER (WHERE made > due)
            FROM (SELECT c.department, p.due_at AS due, COALESCE(c.made_at, c.committed_at) AS made,
                         CASE c.request_id WHEN '' THEN '#' || c.sequence
                                           ELSE COALESCE(c.credential, '') || ' ' || c.request_id END AS request
                  FROM change_log c JOIN periods p ON p.code = c.period
                  WHERE c.department IS NOT NULL AND c.kind IN ('target', 'project', 'register')
                    AND c.committed_at > p.due_at AND c.sequence <= $1) l
            GROUP BY department
            """, bound)
        for row in late.rows {
            let department = try row.decode(String.self, at: 0)
            reports[department, default: DepartmentReports()].lateDeliveries = try row.decode(Int.self, at: 1)
            reports[department, default: DepartmentReports()].lateReports = try row.decode(Int.self, at: 2)
        }
    }
}
