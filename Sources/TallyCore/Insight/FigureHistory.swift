import Foundation

/// What the change log says about pace, kept with the totals: each target's figure at the end of
/// every month it was reported in, and the last month each project's stage moved. Months are the
/// periods reports count for ("2023-05"), so the campaign clock (and a pinned one) decides them.
///
/// Warnings ("red two periods running", "stage not moved") and forecasts read it; it moves with
/// ``PlanState/apply(_:)`` and is rebuilt with the state when the server starts.
public struct FigureHistory: Sendable, Hashable {
    /// Per target: the figure before its first report, then the figure after the last report of each month.
    public struct Figures: Sendable, Hashable {
        /// The figure before the first report in the log.
        public var baseline: Decimal
        /// Month period ("2023-05") → figure at the end of that month's reports.
        public var monthEnd: [String: Decimal]

        public init(baseline: Decimal, monthEnd: [String: Decimal] = [:]) {
            self.baseline = baseline
            self.monthEnd = monthEnd
        }

        /// The figure at the end of `month`: the last month-end at or before it, else the baseline.
        public func figure(atEndOf month: String) -> Decimal {
            let latest = monthEnd.keys.filter { $0 <= month }.max()
            return latest.flatMap { monthEnd[$0] } ?? baseline
        }
    }

    /// Target id → its figures by month.
    public var targets: [String: Figures] = [:]
    /// Project id → the last month its stage changed.
    public var stageMoved: [String: String] = [:]

    public init(targets: [String: Figures] = [:], stageMoved: [String: String] = [:]) {
        self.targets = targets
        self.stageMoved = stageMoved
    }

    /// Notes a committed change: a target's new figure, or a project's stage moving. Other changes
    /// (plan edits, investment, percent) leave it as it is.
    public mutating func record(_ change: ChangeRecord) {
        guard Self.isMonth(change.period) else { return }
        switch (change.kind, change.field) {
        case (.target, "current_figure"):
            recordFigure(target: change.subjectId, month: change.period, old: change.oldValue, new: change.newValue)
        case (.project, "stage"), (.register, "stage"):
            recordStage(project: change.subjectId, month: change.period)
        default:
            break
        }
    }

    /// Notes a target's figure moving from `old` to `new` in `month` (exact decimal texts).
    mutating func recordFigure(target: String, month: String, old: String, new: String) {
        guard let figure = Decimal(exact: new) else { return }
        var figures = targets[target] ?? Figures(baseline: Decimal(exact: old) ?? 0)
        figures.monthEnd[month] = figure
        targets[target] = figures
    }

    /// Notes a project's stage moving in `month`.
    mutating func recordStage(project: String, month: String) {
        if stageMoved[project].map({ month > $0 }) ?? true { stageMoved[project] = month }
    }

    /// Whether a period code is a month ("2023-05"), not a year.
    static func isMonth(_ period: String) -> Bool { period.count == 7 }
}
