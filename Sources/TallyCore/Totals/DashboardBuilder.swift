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

    /// A department's summary. `tallies`, when given, are running sums kept by change events
    /// (``ChangeEventCache``): the summary is then a change event's, without the target list (the
    /// moved target travels in the event's `target`; the full list would make every event, kept in
    /// the server's ring and each watcher's queue, many times larger).
    func departmentSummary(_ department: DepartmentRecord, state: PlanState, evaluation: Evaluation,
                           period: String, reusing tallies: DepartmentTallies? = nil) -> Tally_V1_DepartmentSummary {
        var summary = Tally_V1_DepartmentSummary()
        summary.department = department.proto
        let sums = tallies ?? departmentTallies(department.code, state: state, evaluation: evaluation)
        summary.progress = sums.progress.progress(elapsed: evaluation.yearElapsed, builder: self)
        summary.lines = state.lines(of: department.code).map { line in
            var lineSummary = Tally_V1_LineSummary()
            lineSummary.line = line.proto
            lineSummary.progress = (sums.lines[line.code] ?? ProgressTally()).progress(elapsed: evaluation.yearElapsed, builder: self)
            return lineSummary
        }
        if tallies == nil {
            summary.targets = state.targets(of: department.code).compactMap { evaluation.targets[$0.id]?.proto }
        }
        summary.investmentCompleted = sums.investmentCompleted
        summary.sharedInvestment = state.projects.values
            .compactMap { $0.share(of: department.code)?.investmentCompleted }.reduce(Decimal(0), +).exactString
        let reports = state.reports[department.code]
        summary.reportedThisPeriod = reports?.periods.contains(period) ?? false
        summary.lastReportUnixMs = reports?.lastReportAt.map(CivilDate.milliseconds(of:)) ?? 0
        summary.lateDeliveries = Int32(clamping: reports?.lateDeliveries ?? 0)
        summary.lateReports = Int32(clamping: reports?.lateReports ?? 0)
        return summary
    }

    /// A department's progress, its lines' progress and its completed investment, summed afresh.
    func departmentTallies(_ code: String, state: PlanState, evaluation: Evaluation) -> DepartmentTallies {
        let targets = state.targets(of: code)
        var lines: [String: ProgressTally] = [:]
        for line in state.lines(of: code) {
            lines[line.code] = ProgressTally(targets.filter { $0.line == line.code }.compactMap { evaluation.targets[$0.id] })
        }
        let investment = state.projects.values.filter { $0.leadDepartment == code }
            .reduce(Decimal(0)) { $0 + $1.investmentCompleted }
        return DepartmentTallies(progress: ProgressTally(targets.compactMap { evaluation.targets[$0.id] }),
                                 lines: lines, investmentCompleted: investment.exactString)
    }

    /// A percentage (0...100) as text rounded to one decimal place.
    static func percentString(_ percent: Decimal) -> String {
        guard let tenths = DecimalParts(percent)?.scaled(1) else { return percent.rounded(scale: 1).exactString }
        return DecimalParts.text(units: tenths, scale: 1)
    }
}
