/// A plan document whose records do not fit together.
public struct PlanValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, naming the record ("target yinzhu/x: unknown line yinzhu/y").
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { "invalid plan: \(message)" }
}

extension PlanDocument {
    /// Checks ids are unique and every reference (department, line, period, batch) exists,
    /// the way the database's keys would, so a bad document fails before any SQL runs.
    public func validate() throws(PlanValidationError) {
        func unique(_ ids: [String], _ what: String) throws(PlanValidationError) -> Set<String> {
            var seen = Set<String>()
            for id in ids where !seen.insert(id).inserted {
                throw PlanValidationError("duplicate \(what) \(id)")
            }
            return seen
        }
        let departmentCodes = try unique(departments.map(\.code), "department")
        let lineCodes = try unique(lines.map(\.code), "line")
        let periodCodes = try unique(periods.map(\.code), "period")
        _ = try unique(targets.map(\.id), "target")
        let batchIds = try unique(batches.map(\.id), "batch")
        _ = try unique(projects.map(\.id), "project")
        guard periodCodes.contains(year) else { throw PlanValidationError("no period for the year \(year)") }

        for line in lines where !departmentCodes.contains(line.department) {
            throw PlanValidationError("line \(line.code): unknown department \(line.department)")
        }
        for period in periods where period.startsAt >= period.endsAt {
            throw PlanValidationError("period \(period.code): starts_at is not before ends_at")
        }
        for target in targets {
            guard departmentCodes.contains(target.department) else {
                throw PlanValidationError("target \(target.id): unknown department \(target.department)")
            }
            guard lineCodes.contains(target.line) else {
                throw PlanValidationError("target \(target.id): unknown line \(target.line)")
            }
            guard periodCodes.contains(target.period) else {
                throw PlanValidationError("target \(target.id): unknown period \(target.period)")
            }
            guard target.targetFigure >= 0 else {
                throw PlanValidationError("target \(target.id): negative target figure")
            }
        }
        for batch in batches {
            guard departmentCodes.contains(batch.department), lineCodes.contains(batch.line) else {
                throw PlanValidationError("batch \(batch.id): unknown department or line")
            }
        }
        for project in projects {
            guard departmentCodes.contains(project.leadDepartment), lineCodes.contains(project.line) else {
                throw PlanValidationError("project \(project.id): unknown lead department or line")
            }
            for department in project.coDepartments
            where !departmentCodes.contains(department) || department == project.leadDepartment {
                throw PlanValidationError("project \(project.id): bad co-reporting department \(department)")
            }
            if let batch = project.batch, !batchIds.contains(batch) {
                throw PlanValidationError("project \(project.id): unknown batch \(batch)")
            }
        }
    }
}
