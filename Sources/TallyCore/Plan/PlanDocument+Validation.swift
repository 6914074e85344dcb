/// A plan document whose records do not fit together.
public struct PlanValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field at fault, as a path into the document ("targets[3].line"); "" for the whole document.
    public var field: String
    /// What is wrong, naming the record ("target yinzhu/x: unknown line yinzhu/y").
    public var message: String

    public init(_ message: String, field: String = "") {
        self.message = message
        self.field = field
    }

    public var description: String { "invalid plan: \(field.isEmpty ? "" : "\(field): ")\(message)" }
}

extension PlanDocument {
    /// Checks ids are unique and every reference (department, line, period, batch) exists,
    /// the way the database's keys would, so a bad document fails before any SQL runs; every
    /// period belongs to the campaign's year, and every target's period is one of them.
    public func validate() throws(PlanValidationError) {
        func unique(_ ids: [String], _ what: String, _ list: String, _ key: String) throws(PlanValidationError) -> Set<String> {
            var seen = Set<String>()
            for (index, id) in ids.enumerated() where !seen.insert(id).inserted {
                throw PlanValidationError("duplicate \(what) \(id)", field: "\(list)[\(index)].\(key)")
            }
            return seen
        }
        guard format == 1 else { throw PlanValidationError("format \(format) is not 1", field: "format") }
        if let problem = warnings?.problem {
            throw PlanValidationError(problem.message, field: "warnings.\(problem.field)")
        }
        guard CampaignCalendar().period(year)?.kind == .year else {
            throw PlanValidationError("\"\(year)\" is not a year such as 2024", field: "year")
        }
        let departmentCodes = try unique(departments.map(\.code), "department", "departments", "code")
        let lineCodes = try unique(lines.map(\.code), "line", "lines", "code")
        let periodCodes = try unique(periods.map(\.code), "period", "periods", "code")
        _ = try unique(targets.map(\.id), "target", "targets", "id")
        let batchIds = try unique(batches.map(\.id), "batch", "batches", "id")
        _ = try unique(projects.map(\.id), "project", "projects", "id")
        guard periodCodes.contains(year) else { throw PlanValidationError("no period for the year \(year)", field: "periods") }

        for (index, line) in lines.enumerated() where !departmentCodes.contains(line.department) {
            throw PlanValidationError("line \(line.code): unknown department \(line.department)", field: "lines[\(index)].department")
        }
        for (index, period) in periods.enumerated() {
            guard period.code == year || period.code.hasPrefix(year + "-") else {
                throw PlanValidationError("period \(period.code) is not in the campaign year \(year)", field: "periods[\(index)].code")
            }
            guard period.startsAt < period.endsAt else {
                throw PlanValidationError("period \(period.code): starts_at is not before ends_at", field: "periods[\(index)].ends_at")
            }
        }
        for (index, target) in targets.enumerated() {
            let at = "targets[\(index)]"
            guard departmentCodes.contains(target.department) else {
                throw PlanValidationError("target \(target.id): unknown department \(target.department)", field: "\(at).department")
            }
            guard lineCodes.contains(target.line) else {
                throw PlanValidationError("target \(target.id): unknown line \(target.line)", field: "\(at).line")
            }
            guard periodCodes.contains(target.period) else {
                throw PlanValidationError("target \(target.id): unknown period \(target.period)", field: "\(at).period")
            }
            guard target.targetFigure >= 0 else {
                throw PlanValidationError("target \(target.id): negative target figure", field: "\(at).target_figure")
            }
        }
        for (index, batch) in batches.enumerated() {
            guard departmentCodes.contains(batch.department) else {
                throw PlanValidationError("batch \(batch.id): unknown department \(batch.department)", field: "batches[\(index)].department")
            }
            guard lineCodes.contains(batch.line) else {
                throw PlanValidationError("batch \(batch.id): unknown line \(batch.line)", field: "batches[\(index)].line")
            }
        }
        for (index, project) in projects.enumerated() {
            let at = "projects[\(index)]"
            guard departmentCodes.contains(project.leadDepartment) else {
                throw PlanValidationError("project \(project.id): unknown lead department \(project.leadDepartment)",
                                          field: "\(at).lead_department")
            }
            guard lineCodes.contains(project.line) else {
                throw PlanValidationError("project \(project.id): unknown line \(project.line)", field: "\(at).line")
            }
            for department in project.coDepartments
            where !departmentCodes.contains(department) || department == project.leadDepartment {
                throw PlanValidationError("project \(project.id): bad co-reporting department \(department)",
                                          field: "\(at).co_departments")
            }
            for share in project.shares where !project.coDepartments.contains(share.department) {
                throw PlanValidationError("project \(project.id): a share belongs to one of its co-reporting departments, not \(share.department)",
                                          field: "\(at).shares")
            }
            if let batch = project.batch, !batchIds.contains(batch) {
                throw PlanValidationError("project \(project.id): unknown batch \(batch)", field: "\(at).batch")
            }
        }
    }
}
