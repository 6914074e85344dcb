import Foundation
import TallyStore

/// A campaign's plan as the database holds it, read back as a plan document (`tally plan export`,
/// and the "before" of `tally plan diff`): its campaign row, its periods, the targets of its
/// periods, its batches and projects, the lines these use, the departments of those lines and the
/// central office. Records come in the order a plan file lists them.
enum PlanStore {
    /// The plan of a campaign ("2023"), nil when the database has no such campaign.
    static func load(_ connection: PostgresConnection, campaign: String) throws -> PlanDocument? {
        let header = try connection.executePrepared(
            "SELECT name, notes::text, format, COALESCE(warnings::text, '') FROM campaigns WHERE code = $1", [.text(campaign)])
        guard let row = header.rows.first else { return nil }
        let notes = try JSONDecoder().decode([String].self, from: Data(try row.decode(String.self, at: 1).utf8))
        let warningsText = try row.decode(String.self, at: 3)
        let warnings = warningsText.isEmpty ? nil : try JSONDecoder().decode(WarningRules.self, from: Data(warningsText.utf8))
        func records<T: Decodable>(_ type: T.Type, _ sql: String) throws -> [T] {
            try connection.executePrepared(sql, [.text(campaign)]).rows.map { row in
                try EntityJSON.decode(type, from: try row.decode(String.self, at: 0))
            }
        }
        let periods = try records(PeriodRecord.self, """
            SELECT jsonb_build_object('code', code, 'kind', kind, 'starts_at', \(Self.cst("starts_at")),
                                      'ends_at', \(Self.cst("ends_at")), 'due_at', \(Self.cst("due_at")))::text
            FROM periods WHERE code = $1 OR code LIKE $1 || '-%' ORDER BY kind = 'year' DESC, code
            """)
        let targets = try records(TargetRecord.self, """
            SELECT tally_target_json(t)::text FROM targets t JOIN departments d ON d.code = t.department
            WHERE t.period = $1 OR t.period LIKE $1 || '-%' ORDER BY d.sort_order, d.code, t.sort_order, t.id
            """)
        let batches = try records(BatchRecord.self, """
            SELECT tally_batch_json(b)::text FROM batches b JOIN departments d ON d.code = b.department
            JOIN lines l ON l.code = b.line
            WHERE b.campaign = $1 ORDER BY d.sort_order, d.code, l.sort_order, l.code, b.sort_order, b.id
            """)
        let projects = try records(ProjectRecord.self, """
            SELECT tally_project_json(p.id)::text FROM projects p WHERE p.campaign = $1 ORDER BY p.sort_order, p.id
            """)
        let usedLines = Set(targets.map(\.line) + batches.map(\.line) + projects.map(\.line))
        let lines = try records(LineRecord.self, """
            SELECT to_jsonb(l)::text FROM lines l JOIN departments d ON d.code = l.department
            WHERE $1 <> '' ORDER BY d.sort_order, d.code, l.sort_order, l.code
            """).filter { usedLines.contains($0.code) }
        let usedDepartments = Set(lines.map(\.department) + targets.map(\.department) + batches.map(\.department)
                                  + projects.flatMap { [$0.leadDepartment] + $0.coDepartments })
        let departments = try records(DepartmentRecord.self, """
            SELECT to_jsonb(d)::text FROM departments d WHERE $1 <> '' ORDER BY sort_order, code
            """).filter { usedDepartments.contains($0.code) || $0.kind == .central }
        return PlanDocument(format: try row.decode(Int.self, at: 2), campaign: try row.decode(String.self, at: 0),
                            year: campaign, notes: notes, departments: departments, lines: lines, periods: periods,
                            targets: targets, batches: batches, projects: projects, warnings: warnings)
    }

    /// Every department and line: the organisation that campaigns share.
    static func organisation(_ connection: PostgresConnection) throws -> (departments: [DepartmentRecord], lines: [LineRecord]) {
        func records<T: Decodable>(_ type: T.Type, _ sql: String) throws -> [T] {
            try connection.execute(sql).rows.map { try EntityJSON.decode(type, from: try $0.decode(String.self, at: 0)) }
        }
        return (try records(DepartmentRecord.self, "SELECT to_jsonb(d)::text FROM departments d"),
                try records(LineRecord.self, "SELECT to_jsonb(l)::text FROM lines l"))
    }

    /// An instant column as the plan file writes it: ISO 8601 in China Standard Time.
    private static func cst(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+08:00\"')"
    }
}
