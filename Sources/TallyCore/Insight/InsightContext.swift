import Foundation

/// Everything warnings, forecasts and the ranking are computed from: one campaign's state (with
/// its ``FigureHistory``), the dashboard's builder (tolerance, calendar), the warning thresholds,
/// the 调度 inputs and the instant. Pure: no I/O and no clock of its own.
public struct InsightContext: Sendable {
    public var state: PlanState
    public var builder: DashboardBuilder
    public var rules: WarningRules
    public var dispatch: DispatchInputs
    public var instant: Date

    public init(state: PlanState, builder: DashboardBuilder, rules: WarningRules = WarningRules(),
                dispatch: DispatchInputs = .none, instant: Date) {
        self.state = state
        self.builder = builder
        self.rules = rules
        self.dispatch = dispatch
        self.instant = instant
    }

    var calendar: CampaignCalendar { builder.calendar }

    /// The campaign's year period.
    var campaign: PeriodRecord? { state.period(state.year, calendar: calendar) }

    /// The campaign's twelve months, in order.
    var months: [PeriodRecord] {
        guard state.year.count == 4 else { return [] }
        return (1...12).compactMap { state.period(state.year + String(format: "-%02d", $0), calendar: calendar) }
    }

    /// Months of the campaign that had ended by `instant`, in order.
    func finishedMonths(by instant: Date) -> [PeriodRecord] { months.filter { $0.endsAt <= instant } }

    /// The month before `month` ("2023-01" → "2022-12").
    static func previousMonth(_ month: String) -> String {
        guard let year = Int(month.prefix(4)), let number = Int(month.suffix(2)) else { return month }
        return number == 1 ? String(format: "%04d-12", year - 1) : String(format: "%04d-%02d", year, number - 1)
    }

    /// A target's figure at the end of `month`, from the history (its current figure when never reported).
    func figure(of target: TargetRecord, atEndOf month: String) -> Decimal {
        state.history.targets[target.id]?.figure(atEndOf: month) ?? target.currentFigure
    }

    /// A target evaluated as it stood at the end of `month` (its figure then, that instant's elapsed time).
    func evaluation(of target: TargetRecord, atEndOf month: PeriodRecord) -> TargetEvaluation {
        var then = target
        then.currentFigure = figure(of: target, atEndOf: month.code)
        return builder.evaluate(then, in: state, at: month.endsAt)
    }

    /// Reporting departments (all but the central office), in display order.
    var departments: [DepartmentRecord] { builder.reportingDepartments(state) }

    /// Elapsed share of the campaign at an instant, in percent.
    func elapsedPercent(at instant: Date) -> Decimal {
        campaign.map { calendar.elapsedFraction(of: $0, at: instant) * 100 } ?? 0
    }
}
