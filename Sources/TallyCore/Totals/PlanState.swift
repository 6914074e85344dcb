import Foundation

/// Which periods a department reported in, and when it last reported.
public struct DepartmentReports: Sendable, Hashable {
    public var periods: Set<String>
    public var lastReportAt: Date?
    /// Reports (requests) committed after their period's due day although made before it: queued
    /// offline and delivered late.
    public var lateDeliveries = 0
    /// Reports (requests) made after their period's due day.
    public var lateReports = 0
    /// The request (credential and request id) counted last. A request's changes are consecutive
    /// in the log (one command, one transaction), so a period report of several changes counts
    /// once by comparing with this alone: a count, not a set of every late request id, which grew
    /// with each late report and cost a hash insert per report. Bookkeeping, not part of equality.
    var lastLateRequest: String?

    public init(periods: Set<String> = [], lastReportAt: Date? = nil) {
        self.periods = periods
        self.lastReportAt = lastReportAt
    }

    public static func == (lhs: DepartmentReports, rhs: DepartmentReports) -> Bool {
        lhs.periods == rhs.periods && lhs.lastReportAt == rhs.lastReportAt
            && lhs.lateDeliveries == rhs.lateDeliveries && lhs.lateReports == rhs.lateReports
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(periods)
        hasher.combine(lastReportAt)
        hasher.combine(lateDeliveries)
        hasher.combine(lateReports)
    }
}

/// The whole plan in memory, as of a change-log sequence: what the totals are computed from.
///
/// Pure value: built from a plan document (or loaded from the database) and moved forward one
/// change at a time with `apply(_:)`.
public struct PlanState: Sendable, Hashable {
    public var departments: [String: DepartmentRecord]
    public var lines: [String: LineRecord]
    public var periods: [String: PeriodRecord]
    public var targets: [String: TargetRecord]
    public var batches: [String: BatchRecord]
    public var projects: [String: ProjectRecord]
    /// Reports per department code.
    public var reports: [String: DepartmentReports]
    /// The change-log sequence this state reflects (0: the plan as seeded).
    public var sequence: Int64
    /// The campaign year's period code ("2023").
    public var year: String
    /// The campaigns by code (name and notes of their plans); filled when loaded from the database.
    public var campaigns: [String: CampaignRecord] = [:]
    /// Month-end figures and stage moves from the change log (warnings and forecasts read them).
    public var history = FigureHistory()
    /// The central office's 调度 requests and the period reports under review.
    public var dispatch = DispatchBook()

    public init(departments: [DepartmentRecord], lines: [LineRecord], periods: [PeriodRecord],
                targets: [TargetRecord], batches: [BatchRecord], projects: [ProjectRecord],
                reports: [String: DepartmentReports] = [:], sequence: Int64 = 0, year: String) {
        self.departments = Dictionary(departments.map { ($0.code, $0) }, uniquingKeysWith: { $1 })
        self.lines = Dictionary(lines.map { ($0.code, $0) }, uniquingKeysWith: { $1 })
        self.periods = Dictionary(periods.map { ($0.code, $0) }, uniquingKeysWith: { $1 })
        self.targets = Dictionary(targets.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        self.batches = Dictionary(batches.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        self.projects = Dictionary(projects.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        self.reports = reports
        self.sequence = sequence
        self.year = year
    }

    /// The state of a freshly seeded plan: nothing reported yet.
    public init(plan: PlanDocument, sequence: Int64 = 0) {
        self.init(departments: plan.departments, lines: plan.lines, periods: plan.periods, targets: plan.targets,
                  batches: plan.batches, projects: plan.projects, sequence: sequence, year: plan.year)
    }

    /// The periods the department reported in.
    public func reportedPeriods(of department: String) -> Set<String> {
        reports[department]?.periods ?? []
    }

    /// Notes that the department reported in the period at the instant.
    /// (Both record functions change the entry in place, through the dictionary: a copy taken out and
    /// put back would copy its sets on every insert, which made loading a log of many late reports
    /// quadratic.)
    public mutating func recordReport(department: String, period: String, at date: Date) {
        reports[department, default: DepartmentReports()].periods.insert(period)
        if let last = reports[department]?.lastReportAt, last >= date { return }
        reports[department]?.lastReportAt = date
    }

    /// Notes a change of a report that arrived after its period's due day (the plan's periods only):
    /// a late delivery when it was made by then, else a late report. `request` names the request
    /// (credential and request id); the changes of one request are consecutive and count once.
    public mutating func recordLateness(department: String, period code: String, request: @autoclosure () -> String,
                                        madeAt: Date, committedAt: Date) {
        guard let due = periods[code]?.dueAt, committedAt > due else { return }
        let request = request()
        guard reports[department]?.lastLateRequest != request else { return }
        reports[department, default: DepartmentReports()].lastLateRequest = request
        if madeAt <= due {
            reports[department]?.lateDeliveries += 1
        } else {
            reports[department]?.lateReports += 1
        }
    }

    /// The key ``recordLateness(department:period:request:madeAt:committedAt:)`` counts a change's
    /// request by: its credential and request id (a change without a request id is a request of its own).
    static func lateRequestKey(credential: String?, requestID: String, sequence: Int64) -> String {
        requestID.isEmpty ? "#\(sequence)" : "\(credential ?? "") \(requestID)"
    }

    /// Departments in display order (sort order, then code).
    public var sortedDepartments: [DepartmentRecord] {
        departments.values.sorted { ($0.sortOrder, $0.code) < ($1.sortOrder, $1.code) }
    }

    /// The department's lines in display order.
    public func lines(of department: String) -> [LineRecord] {
        lines.values.filter { $0.department == department }.sorted { ($0.sortOrder, $0.code) < ($1.sortOrder, $1.code) }
    }

    /// The department's targets in display order.
    public func targets(of department: String) -> [TargetRecord] {
        targets.values.filter { $0.department == department }.sorted { ($0.sortOrder, $0.id) < ($1.sortOrder, $1.id) }
    }

    /// Every target, by department order then the target's own order.
    public var sortedTargets: [TargetRecord] {
        sortedDepartments.flatMap { targets(of: $0.code) }
    }

    /// Every batch, by department order then the batch's own order.
    public var sortedBatches: [BatchRecord] {
        let rank = Dictionary(sortedDepartments.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { $1 })
        return batches.values.sorted {
            (rank[$0.department] ?? Int.max, $0.sortOrder, $0.id) < (rank[$1.department] ?? Int.max, $1.sortOrder, $1.id)
        }
    }

    /// Every project in display order (sort order, then id).
    public var sortedProjects: [ProjectRecord] {
        projects.values.sorted { ($0.sortOrder, $0.id) < ($1.sortOrder, $1.id) }
    }

    /// The period record of a code: the plan's own when present, else the calendar's.
    public func period(_ code: String, calendar: CampaignCalendar = CampaignCalendar()) -> PeriodRecord? {
        periods[code] ?? calendar.period(code)
    }
}
