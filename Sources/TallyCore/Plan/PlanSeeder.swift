import Foundation

/// Turns a plan document into parameterised INSERT statements for the plan tables.
///
/// Every statement ends in `ON CONFLICT DO NOTHING`, so seeding twice is harmless and never
/// overwrites figures departments have reported since. Parameters are text (nil is SQL NULL)
/// with casts in the SQL (`$5::numeric`), so decimals travel exactly.
public enum PlanSeeder {
    /// One SQL statement and its text parameters.
    public typealias SeedStatement = (sql: String, parameters: [String?])

    /// The statements that insert the whole plan, in foreign-key order: departments, lines, periods,
    /// the campaign, targets, batches and projects (of the plan's campaign), co-reporting departments.
    public static func statements(for plan: PlanDocument) -> [SeedStatement] {
        var statements: [SeedStatement] = []
        for department in plan.departments {
            statements.append((Self.departmentSQL, [department.code, department.name, department.kind.rawValue,
                                                    String(department.sortOrder)]))
        }
        for line in plan.lines {
            statements.append((Self.lineSQL, [line.code, line.department, line.name, line.goal, String(line.sortOrder)]))
        }
        for period in plan.periods {
            statements.append((Self.periodSQL, [period.code, period.kind.rawValue, Timestamp.format(period.startsAt),
                                                Timestamp.format(period.endsAt), Timestamp.format(period.dueAt)]))
        }
        let warnings = (try? JSONEncoder().encode(plan.warnings)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
        statements.append((Self.campaignSQL, [plan.year, plan.campaign, Self.notesJSON(plan.notes), String(plan.format), warnings]))
        for target in plan.targets {
            statements.append((Self.targetSQL, [
                target.id, target.department, target.line, target.name, target.unit, target.direction.rawValue,
                target.targetFigure.exactString, target.currentFigure.exactString, target.period, target.qualifier,
                String(target.version), target.note, String(target.sortOrder),
            ]))
        }
        for batch in plan.batches {
            statements.append((Self.batchSQL, [
                batch.id, batch.department, batch.line, batch.name, String(batch.plannedCount),
                batch.plannedInvestment?.exactString, batch.investmentQualifier, batch.milestone.rawValue,
                String(batch.sortOrder), plan.year,
            ]))
        }
        for project in plan.projects {
            statements.append((Self.projectSQL, [
                project.id, project.name, project.leadDepartment, project.line, project.batch,
                project.plannedInvestment?.exactString, project.investmentCompleted.exactString,
                project.percent.exactString, project.stage.rawValue, String(project.version), String(project.sortOrder),
                plan.year,
            ]))
        }
        for project in plan.projects {
            for department in project.coDepartments {
                statements.append((Self.projectDepartmentSQL, [project.id, department]))
            }
            for share in project.shares {
                statements.append((Self.projectShareSQL, [project.id, share.department, share.investmentCompleted.exactString]))
            }
        }
        return statements
    }

    static let departmentSQL = """
        INSERT INTO departments (code, name, kind, sort_order) VALUES ($1, $2, $3, $4::int)
        ON CONFLICT DO NOTHING
        """
    static let lineSQL = """
        INSERT INTO lines (code, department, name, goal, sort_order) VALUES ($1, $2, $3, $4, $5::int)
        ON CONFLICT DO NOTHING
        """
    static let periodSQL = """
        INSERT INTO periods (code, kind, starts_at, ends_at, due_at)
        VALUES ($1, $2, $3::timestamptz, $4::timestamptz, $5::timestamptz)
        ON CONFLICT DO NOTHING
        """
    static let targetSQL = """
        INSERT INTO targets (id, department, line, name, unit, direction, target_figure, current_figure,
                             period, qualifier, version, note, sort_order)
        VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8::numeric, $9, $10, $11::bigint, $12, $13::int)
        ON CONFLICT DO NOTHING
        """
    static let batchSQL = """
        INSERT INTO batches (id, department, line, name, planned_count, planned_investment,
                             investment_qualifier, milestone, sort_order, campaign)
        VALUES ($1, $2, $3, $4, $5::int, $6::numeric, $7, $8, $9::int, $10)
        ON CONFLICT DO NOTHING
        """
    static let projectSQL = """
        INSERT INTO projects (id, name, lead_department, line, batch, planned_investment, investment_completed,
                              percent, stage, version, sort_order, campaign)
        VALUES ($1, $2, $3, $4, $5, $6::numeric, $7::numeric, $8::numeric, $9, $10::bigint, $11::int, $12)
        ON CONFLICT DO NOTHING
        """
    static let campaignSQL = """
        INSERT INTO campaigns (code, name, notes, format, warnings)
        VALUES ($1, $2, $3::jsonb, $4::int, NULLIF($5::jsonb, 'null'::jsonb))
        ON CONFLICT DO NOTHING
        """
    /// The notes as a JSON array of strings, for the campaigns row.
    static func notesJSON(_ notes: [String]) -> String {
        (try? JSONEncoder().encode(notes)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }
    static let projectShareSQL = """
        INSERT INTO project_shares (project, department, investment_completed) VALUES ($1, $2, $3::numeric)
        ON CONFLICT DO NOTHING
        """
    static let projectDepartmentSQL = """
        INSERT INTO project_departments (project, department) VALUES ($1, $2)
        ON CONFLICT DO NOTHING
        """
}
