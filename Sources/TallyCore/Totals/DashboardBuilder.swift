import Foundation
import TallyMessages

/// Builds the central office's dashboard from the in-memory plan state at an instant.
///
/// Pure: no I/O and no clock of its own. Completion is compared with elapsed time
/// ("时间过半、任务过半"): on track when completion >= elapsed, amber within `tolerance`
/// percentage points below it, behind beyond that. Decimals leave as exact strings,
/// percentages rounded to one decimal place.
public struct DashboardBuilder: Sendable {
    /// Percentage points below elapsed time still counted as amber rather than behind.
    public var tolerance: Decimal
    public var calendar: CampaignCalendar

    public init(tolerance: Decimal = 10, calendar: CampaignCalendar = CampaignCalendar()) {
        self.tolerance = tolerance
        self.calendar = calendar
    }

    /// The full dashboard: every reporting department, stages, batches, investment totals with each
    /// project counted once, who has not reported in the current month, and the overall progress.
    /// Once the campaign has ended it is the final state: `finished`, the last month as the period,
    /// every target met or missed.
    public func dashboard(_ state: PlanState, at instant: Date) -> Tally_V1_Dashboard {
        let evaluation = evaluate(state, at: instant)
        let phase = CampaignPhase(state: state, at: instant, calendar: calendar)
        let period = phase.reportingPeriod
        var dashboard = Tally_V1_Dashboard()
        dashboard.campaign = state.year
        dashboard.finished = phase.finished
        dashboard.sequence = state.sequence
        dashboard.period = period
        dashboard.elapsedPercent = Self.percentString(evaluation.yearElapsed)
        dashboard.tolerancePercent = tolerance.exactString
        dashboard.departments = reportingDepartments(state).map {
            departmentSummary($0, state: state, evaluation: evaluation, period: period)
        }
        dashboard.stages = stageCounts(state)
        dashboard.batches = state.sortedBatches.map { batchProgress($0, state: state) }
        dashboard.plannedInvestment = plannedInvestment(state).exactString
        dashboard.investmentCompleted = investmentCompleted(state).exactString
        dashboard.projectCount = Int32(clamping: state.projects.count)
        dashboard.notReported = reportingDepartments(state)
            .filter { !state.reportedPeriods(of: $0.code).contains(period) }
            .map(\.code)
        dashboard.asOfUnixMs = CivilDate.milliseconds(of: instant)
        dashboard.overall = progress(state.sortedTargets.compactMap { evaluation.targets[$0.id] },
                                     elapsed: evaluation.yearElapsed)
        return dashboard
    }

    /// The summary of one department at the instant; nil for an unknown code.
    public func departmentSummary(_ code: String, in state: PlanState, at instant: Date) -> Tally_V1_DepartmentSummary? {
        guard let department = state.departments[code] else { return nil }
        return departmentSummary(department, state: state, evaluation: evaluate(state, at: instant),
                                 period: calendar.monthPeriod(of: instant))
    }

    /// Departments that report: every one but the central office, in display order.
    func reportingDepartments(_ state: PlanState) -> [DepartmentRecord] {
        state.sortedDepartments.filter { $0.kind != .central }
    }

    /// `progress`, when given, is the department's running tally (change events), else it is summed here.
    func departmentSummary(_ department: DepartmentRecord, state: PlanState, evaluation: Evaluation,
                           period: String, progress tally: ProgressTally? = nil) -> Tally_V1_DepartmentSummary {
        var summary = Tally_V1_DepartmentSummary()
        summary.department = department.proto
        let targets = state.targets(of: department.code)
        summary.progress = (tally ?? ProgressTally(targets.compactMap { evaluation.targets[$0.id] }))
            .progress(elapsed: evaluation.yearElapsed, builder: self)
        summary.lines = state.lines(of: department.code).map { line in
            var lineSummary = Tally_V1_LineSummary()
            lineSummary.line = line.proto
            lineSummary.progress = progress(targets.filter { $0.line == line.code }.compactMap { evaluation.targets[$0.id] },
                                            elapsed: evaluation.yearElapsed)
            return lineSummary
        }
        summary.targets = targets.compactMap { evaluation.targets[$0.id]?.proto }
        summary.investmentCompleted = state.projects.values
            .filter { $0.leadDepartment == department.code }
            .reduce(Decimal(0)) { $0 + $1.investmentCompleted }.exactString
        summary.sharedInvestment = state.projects.values
            .compactMap { $0.share(of: department.code)?.investmentCompleted }.reduce(Decimal(0), +).exactString
        let reports = state.reports[department.code]
        summary.reportedThisPeriod = reports?.periods.contains(period) ?? false
        summary.lastReportUnixMs = reports?.lastReportAt.map(CivilDate.milliseconds(of:)) ?? 0
        summary.lateDeliveries = Int32(clamping: reports?.lateDeliveries.count ?? 0)
        summary.lateReports = Int32(clamping: reports?.lateReports.count ?? 0)
        return summary
    }

    /// A percentage (0...100) as text rounded to one decimal place.
    static func percentString(_ percent: Decimal) -> String {
        percent.rounded(scale: 1).exactString
    }
}
