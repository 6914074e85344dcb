import TallyStore

/// What one department reports on in one campaign, read from the database: its targets (those whose
/// period lies in the campaign year), the projects it leads or co-reports, and its batches.
struct DepartmentHoldings: Sendable {
    var department: DepartmentRecord?
    var targets: [TargetRecord]
    var projects: [ProjectRecord]
    var batches: [BatchRecord]

    static func load(_ connection: PostgresConnection, department: String, campaign: String) throws -> DepartmentHoldings {
        func records<T: Decodable>(_ type: T.Type, _ sql: String) throws -> [T] {
            try connection.executePrepared(sql, [.text(department), .text(campaign)]).rows.map { row in
                try EntityJSON.decode(type, from: try row.decode(String.self, at: 0))
            }
        }
        return DepartmentHoldings(
            department: try records(DepartmentRecord.self,
                                    "SELECT to_jsonb(d)::text FROM departments d WHERE code = $1 AND $2 <> ''").first,
            targets: try records(TargetRecord.self, """
                SELECT tally_target_json(t)::text FROM targets t
                WHERE department = $1 AND (period = $2 OR period LIKE $2 || '-%') ORDER BY sort_order, id
                """),
            projects: try records(ProjectRecord.self, """
                SELECT tally_project_json(p.id)::text FROM projects p
                WHERE campaign = $2 AND (lead_department = $1
                   OR EXISTS (SELECT 1 FROM project_departments d WHERE d.project = p.id AND d.department = $1))
                ORDER BY sort_order, id
                """),
            batches: try records(BatchRecord.self, """
                SELECT tally_batch_json(b)::text FROM batches b WHERE department = $1 AND campaign = $2 ORDER BY sort_order, id
                """))
    }
}
