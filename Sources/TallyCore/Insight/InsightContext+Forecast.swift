import Foundation
import TallyMessages

extension InsightContext {
    /// Months of the window a pace is taken from: the campaign's last (up to) three finished months.
    static let paceWindow = 3

    /// Months left from the instant to the campaign's end, as twelfths of the campaign year (exact).
    var monthsLeft: Decimal {
        guard let campaign else { return 0 }
        return (1 - calendar.elapsedFraction(of: campaign, at: instant)) * 12
    }

    /// Each numeric target's figure projected to the campaign's end at its recent pace, rolled up
    /// per department and per line.
    public func forecast() -> Tally_V1_Forecast {
        var result = Tally_V1_Forecast()
        let left = monthsLeft
        result.monthsLeft = left.rounded(scale: 2).exactString
        result.asOfUnixMs = CivilDate.milliseconds(of: instant)
        let numeric = state.sortedTargets.filter { !$0.isTask }
        let projections = numeric.map { self.forecast(of: $0, monthsLeft: left) }
        result.targets = projections.map(\.proto)
        result.departments = departments.map { department in
            rollup(projections.filter { $0.target.department == department.code }, department: department.code, line: "")
        }
        result.lines = departments.flatMap { department in
            state.lines(of: department.code).map { line in
                rollup(projections.filter { $0.target.line == line.code }, department: department.code, line: line.code)
            }
        }
        return result
    }

    /// One target's projection (see ``TargetProjection``).
    public func forecast(of target: TargetRecord, monthsLeft left: Decimal) -> TargetProjection {
        let window = Array(finishedMonths(by: instant).suffix(Self.paceWindow))
        let increments = window.map { month in
            figure(of: target, atEndOf: month.code) - figure(of: target, atEndOf: Self.previousMonth(month.code))
        }
        guard !increments.isEmpty, let low = increments.min(), let high = increments.max() else {
            return TargetProjection(target: target, months: [], pace: nil, projected: target.currentFigure,
                                    low: target.currentFigure, high: target.currentFigure, builder: builder)
        }
        let pace = increments.reduce(Decimal(0), +) / Decimal(increments.count)
        let current = target.currentFigure
        return TargetProjection(target: target, months: window.map(\.code), pace: pace, projected: current + pace * left,
                                low: current + low * left, high: current + high * left, builder: builder)
    }

    private func rollup(_ projections: [TargetProjection], department: String, line: String) -> Tally_V1_ForecastRollup {
        var rollup = Tally_V1_ForecastRollup()
        rollup.department = department
        rollup.line = line
        rollup.total = Int32(clamping: projections.count)
        var completions: [Decimal] = []
        for projection in projections {
            switch projection.outlook {
            case .met: rollup.met += 1
            case .onCourse: rollup.onCourse += 1
            case .atRisk: rollup.atRisk += 1
            case .offCourse: rollup.offCourse += 1
            default: rollup.noHistory += 1
            }
            if projection.pace != nil || projection.outlook == .met { completions.append(projection.projectedCompletion) }
        }
        let mean = completions.isEmpty ? Decimal(0) : completions.reduce(Decimal(0), +) / Decimal(completions.count)
        rollup.projectedCompletionPercent = DashboardBuilder.percentString(mean)
        return rollup
    }
}

/// A numeric target projected to the campaign's end: current figure plus the mean monthly increment
/// of the window times the months left, with a band from the smallest and largest increment.
public struct TargetProjection: Sendable, Hashable {
    public var target: TargetRecord
    /// The finished months the pace is taken from (empty: no history yet).
    public var months: [String]
    /// Mean monthly increment; nil when there is no finished month to take it from.
    public var pace: Decimal?
    public var projected: Decimal
    public var low: Decimal
    public var high: Decimal
    public var outlook: Tally_V1_Outlook
    /// Completion (0...100) the projected figure would give.
    public var projectedCompletion: Decimal

    init(target: TargetRecord, months: [String], pace: Decimal?, projected: Decimal, low: Decimal, high: Decimal,
         builder: DashboardBuilder) {
        self.target = target
        self.months = months
        self.pace = pace
        self.projected = projected
        self.low = low
        self.high = high
        var end = target
        end.currentFigure = projected
        projectedCompletion = builder.completion(of: end)
        let goal = target.targetFigure
        switch target.direction {
        case .atLeast:
            if target.currentFigure >= goal { outlook = .met }
            else if pace == nil { outlook = .noHistory }
            else if low >= goal { outlook = .onCourse }
            else if projected >= goal { outlook = .atRisk }
            else { outlook = .offCourse }
        case .atMost:
            if pace == nil { outlook = .noHistory }
            else if high <= goal { outlook = .onCourse }
            else if projected <= goal { outlook = .atRisk }
            else { outlook = .offCourse }
        }
    }

    /// Whether the projected figure meets the target.
    public var willMeet: Bool {
        target.direction == .atLeast ? projected >= target.targetFigure : projected <= target.targetFigure
    }

    /// The wire forecast (figures rounded to four decimal places).
    public var proto: Tally_V1_TargetForecast {
        var message = Tally_V1_TargetForecast()
        message.targetID = target.id
        message.department = target.department
        message.line = target.line
        message.currentFigure = target.currentFigure.exactString
        message.targetFigure = target.targetFigure.exactString
        message.monthlyPace = pace.map { $0.rounded(scale: 4).exactString } ?? ""
        message.projectedFigure = projected.rounded(scale: 4).exactString
        message.lowFigure = low.rounded(scale: 4).exactString
        message.highFigure = high.rounded(scale: 4).exactString
        message.months = months
        message.willMeet = willMeet
        message.outlook = outlook
        message.projectedCompletionPercent = DashboardBuilder.percentString(projectedCompletion)
        return message
    }
}
