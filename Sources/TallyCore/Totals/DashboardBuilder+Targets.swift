import Foundation
import TallyMessages

/// A target's completion and standing at an instant.
public struct TargetEvaluation: Sendable, Hashable {
    public var target: TargetRecord
    /// 0...100, unrounded.
    public var completion: Decimal
    public var standing: Standing

    /// The wire status (completion rounded to one decimal place).
    public var proto: Tally_V1_TargetStatus {
        var status = Tally_V1_TargetStatus()
        status.target = target.proto
        status.completionPercent = DashboardBuilder.percentString(completion)
        status.standing = standing.proto
        return status
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
    public func completion(of target: TargetRecord) -> Decimal {
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
    /// above elapsed, amber within the tolerance below it, behind further down.
    public func standing(completion: Decimal, elapsedPercent: Decimal) -> Standing {
        if completion >= 100 { return .met }
        if completion >= elapsedPercent { return .onTrack }
        if completion >= elapsedPercent - tolerance { return .amber }
        return .behind
    }

    /// A target's completion and standing at the instant, against the elapsed share of its own period.
    /// An at-most target is met while within its figure and behind once it exceeds it.
    public func evaluate(_ target: TargetRecord, in state: PlanState, at instant: Date) -> TargetEvaluation {
        let elapsed = state.period(target.period, calendar: calendar)
            .map { calendar.elapsedFraction(of: $0, at: instant) * 100 } ?? 0
        let completion = completion(of: target)
        let standing: Standing
        if target.direction == .atMost && !target.isTask {
            standing = target.currentFigure <= target.targetFigure ? .met : .behind
        } else {
            standing = self.standing(completion: completion, elapsedPercent: elapsed)
        }
        return TargetEvaluation(target: target, completion: completion, standing: standing)
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
