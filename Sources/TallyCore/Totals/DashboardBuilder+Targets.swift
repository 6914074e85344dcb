import Foundation
import TallyMessages

/// A target's completion and standing at an instant.
public struct TargetEvaluation: Sendable, Hashable {
    public var target: TargetRecord
    public var standing: Standing
    /// The completion when given rather than the target's own.
    private var given: Decimal?

    /// 0...100, unrounded: the target's (``DashboardBuilder/completion(of:)``, worked out when asked:
    /// running sums and the wire text take it as integers, ``CompletionRatio``), or the one given.
    public var completion: Decimal {
        get { given ?? DashboardBuilder.completion(of: target) }
        set { given = newValue }
    }

    public init(target: TargetRecord, completion: Decimal, standing: Standing) {
        self.target = target
        self.standing = standing
        given = completion
    }

    /// The evaluation with the target's own completion.
    init(target: TargetRecord, standing: Standing) {
        self.target = target
        self.standing = standing
    }

    /// The completion rounded half away from zero to `scale` places, in units of 10^-scale.
    func completionUnits(_ scale: Int) -> Int64? {
        if given == nil, let units = CompletionRatio(of: target)?.units(scale) { return units }
        return DecimalParts(completion)?.scaled(scale)
    }

    /// The wire status (completion rounded to one decimal place).
    public var proto: Tally_V1_TargetStatus {
        var status = Tally_V1_TargetStatus()
        status.target = target.proto
        status.completionPercent = completionUnits(1).map { DecimalParts.text(units: $0, scale: 1) }
            ?? DashboardBuilder.percentString(completion)
        status.standing = standing.proto
        return status
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.target == rhs.target && lhs.standing == rhs.standing && lhs.completion == rhs.completion
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(target)
        hasher.combine(standing)
    }
}

/// Per-target results of one dashboard computation.
struct Evaluation {
    var targets: [String: TargetEvaluation]
    /// Elapsed share of the campaign year, in percent (0...100).
    var yearElapsed: Decimal
}

extension DashboardBuilder {
    /// Completion of a target in percent, 0...100.
    ///
    /// At least: current / target, capped at 100 (a zero target is complete). At most: 100 while
    /// the current figure stays within the target, target / current once exceeded. Tasks ("项"):
    /// 100 when done (current reaches the figure, at least 1), else 0.
    public func completion(of target: TargetRecord) -> Decimal { Self.completion(of: target) }

    /// ``completion(of:)``, which depends on the target alone.
    static func completion(of target: TargetRecord) -> Decimal {
        if target.isTask {
            return target.currentFigure >= max(target.targetFigure, 1) ? 100 : 0
        }
        switch target.direction {
        case .atLeast:
            guard target.targetFigure > 0 else { return 100 }
            let ratio = target.currentFigure / target.targetFigure * 100
            return min(max(ratio, 0), 100)
        case .atMost:
            guard target.currentFigure > target.targetFigure else { return 100 }
            return min(max(target.targetFigure / target.currentFigure * 100, 0), 100)
        }
    }

    /// Standing of a completion (percent) against elapsed time (percent): met at 100, on track at or
    /// above elapsed, amber within the tolerance below it, behind further down. Once the period has
    /// ended (elapsed 100) there is no pace left to keep: short of 100 is missed, a final state.
    public func standing(completion: Decimal, elapsedPercent: Decimal) -> Standing {
        if completion >= 100 { return .met }
        if elapsedPercent >= 100 { return .missed }
        if completion >= elapsedPercent { return .onTrack }
        if completion >= elapsedPercent - tolerance { return .amber }
        return .behind
    }

    /// ``standing(completion:elapsedPercent:)`` of a completion known through `isAtLeast` (whether it
    /// is at least a percent; nil when that cannot be told), or nil when a comparison cannot be told.
    func standing(elapsedPercent: Decimal, completionIsAtLeast isAtLeast: (Decimal) -> Bool?) -> Standing? {
        guard let met = isAtLeast(100) else { return nil }
        if met { return .met }
        if elapsedPercent >= 100 { return .missed }
        guard let onTrack = isAtLeast(elapsedPercent) else { return nil }
        if onTrack { return .onTrack }
        guard let amber = isAtLeast(elapsedPercent - tolerance) else { return nil }
        return amber ? .amber : .behind
    }

    /// A target's completion and standing at the instant, against the elapsed share of its own period.
    /// An at-most target is met while within its figure and behind once it exceeds it (missed once
    /// its period has ended).
    public func evaluate(_ target: TargetRecord, in state: PlanState, at instant: Date) -> TargetEvaluation {
        let elapsed = state.period(target.period, calendar: calendar)
            .map { calendar.elapsedFraction(of: $0, at: instant) * 100 } ?? 0
        let standing: Standing
        if target.direction == .atMost && !target.isTask {
            standing = target.currentFigure <= target.targetFigure ? .met : (elapsed >= 100 ? .missed : .behind)
        } else if let units = CompletionRatio(of: target)?.floorUnits(ProgressTally.scale),
                  let decided = self.standing(elapsedPercent: elapsed, completionIsAtLeast: {
                      DecimalParts.unit(units, scale: ProgressTally.scale, isAtLeast: $0)
                  }) {
            standing = decided
        } else {
            standing = self.standing(completion: completion(of: target), elapsedPercent: elapsed)
        }
        return TargetEvaluation(target: target, standing: standing)
    }

    /// The wire status of one target at the instant.
    public func targetStatus(_ target: TargetRecord, in state: PlanState, at instant: Date) -> Tally_V1_TargetStatus {
        evaluate(target, in: state, at: instant).proto
    }

    /// Counts per standing, mean completion, and the standing of that mean against elapsed time
    /// (see ``ProgressTally``, which change events keep running). An empty set has completion "0"
    /// and an unspecified standing.
    func progress(_ evaluations: [TargetEvaluation], elapsed: Decimal) -> Tally_V1_Progress {
        ProgressTally(evaluations).progress(elapsed: elapsed, builder: self)
    }

    func evaluate(_ state: PlanState, at instant: Date) -> Evaluation {
        var targets: [String: TargetEvaluation] = [:]
        for target in state.targets.values {
            targets[target.id] = evaluate(target, in: state, at: instant)
        }
        let yearElapsed = state.period(state.year, calendar: calendar)
            .map { calendar.elapsedFraction(of: $0, at: instant) * 100 } ?? 0
        return Evaluation(targets: targets, yearElapsed: yearElapsed)
    }
}
