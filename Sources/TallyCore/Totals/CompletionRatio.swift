import Foundation

/// A target's completion (``DashboardBuilder/completion(of:)``) as the exact fraction
/// `numerator / denominator` percent, so that its rounded text, its units in running sums and its
/// standing are worked out on integers instead of a `Decimal` division per evaluation.
///
/// Made only where the result is that of the `Decimal` computation: its quotient is off by less than
/// 10^-34, while a fraction with a denominator up to 10^24 lies on a rounding half-way point or a
/// unit of 10^-8 or at least 10^-33 from it (and a terminating quotient is exact in both).
struct CompletionRatio: Equatable {
    var numerator: UInt128
    var denominator: UInt128

    static let complete = CompletionRatio(numerator: 100, denominator: 1)
    static let none = CompletionRatio(numerator: 0, denominator: 1)
    /// Largest denominator kept (see above).
    static let maxDenominator = DecimalParts.powersOfTen[24]

    init(numerator: UInt128, denominator: UInt128) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The completion of `target`, by the rules of ``DashboardBuilder/completion(of:)``; nil where
    /// the figures are too long or negative in an at-most target (the caller uses `Decimal`).
    init?(of target: TargetRecord) {
        if target.isTask {
            self = target.currentFigure >= max(target.targetFigure, 1) ? .complete : .none
            return
        }
        guard let current = DecimalParts(target.currentFigure), let goal = DecimalParts(target.targetFigure) else { return nil }
        switch target.direction {
        case .atLeast:
            // current / goal × 100 within 0...100; a goal of zero or less is complete.
            guard !goal.negative, goal.significand != 0 else {
                self = .complete
                return
            }
            guard !current.negative, current.significand != 0 else {
                self = .none
                return
            }
            guard let ratio = Self.percent(current, of: goal) else { return nil }
            self = ratio
        case .atMost:
            // 100 while current stays within goal, else goal / current × 100 (both positive here).
            guard !current.negative, !goal.negative, goal.significand != 0 else { return nil }
            guard let ratio = Self.percent(goal, of: current) else { return nil }
            self = ratio
        }
    }

    /// `part / whole × 100` (both positive), capped at 100; nil when a term exceeds its bounds.
    private static func percent(_ part: DecimalParts, of whole: DecimalParts) -> CompletionRatio? {
        let shift = part.exponent - whole.exponent + 2  // the × 100
        guard abs(shift) <= 38 else { return nil }
        let (numerator, overflowA) = part.significand.multipliedReportingOverflow(by: DecimalParts.powersOfTen[max(shift, 0)])
        let (denominator, overflowB) = whole.significand.multipliedReportingOverflow(by: DecimalParts.powersOfTen[max(-shift, 0)])
        guard !overflowA, !overflowB, denominator <= maxDenominator else { return nil }
        let (hundredfold, overflowC) = denominator.multipliedReportingOverflow(by: 100)
        if !overflowC && numerator >= hundredfold { return .complete }
        return CompletionRatio(numerator: numerator, denominator: denominator)
    }

    /// The completion rounded half away from zero to `scale` places, in units of 10^-scale.
    func units(_ scale: Int) -> Int64? {
        guard let (quotient, remainder) = divided(scale) else { return nil }
        return Int64(exactly: remainder >= denominator - remainder ? quotient + 1 : quotient)
    }

    /// The completion in units of 10^-scale, rounded down: it lies in [that, that + 1).
    func floorUnits(_ scale: Int) -> Int64? {
        divided(scale).flatMap { Int64(exactly: $0.quotient) }
    }

    private func divided(_ scale: Int) -> (quotient: UInt128, remainder: UInt128)? {
        guard scale >= 0, scale <= 12 else { return nil }
        // numerator < 100 × denominator ≤ 10^26 (or is 100), so × 10^12 stays below 2^128.
        return (numerator * DecimalParts.powersOfTen[scale]).quotientAndRemainder(dividingBy: denominator)
    }
}

extension DecimalParts {
    /// Whether a value known to lie in [`units`, `units` + 1) (units of 10^-scale) is at least
    /// `threshold`: certain when the threshold is a whole number of units or lies in another unit;
    /// nil when it lies inside the value's unit.
    static func unit(_ units: Int64, scale: Int, isAtLeast threshold: Decimal) -> Bool? {
        guard let bound = DecimalParts(threshold)?.floorScaled(scale) else { return nil }
        if bound.exact { return units >= bound.floor }
        if units > bound.floor { return true }
        if units < bound.floor { return false }
        return nil
    }
}
