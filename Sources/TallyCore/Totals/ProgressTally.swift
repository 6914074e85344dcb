import Foundation
import TallyMessages

/// A running sum of target evaluations: how many, their completions and their standings, so that
/// progress over many targets moves by one target's difference instead of a re-sum of all of them.
///
/// Completions enter at a fixed scale (``scale`` decimal places), so adding and removing is exact
/// and a running tally always equals one built afresh from the same evaluations.
struct ProgressTally: Sendable, Hashable {
    /// Decimal places each completion is counted with.
    static let scale = 8

    private(set) var count = 0
    private(set) var sum = Decimal(0)
    private(set) var met: Int32 = 0
    private(set) var onTrack: Int32 = 0
    private(set) var amber: Int32 = 0
    private(set) var behind: Int32 = 0

    init() {}

    init<S: Sequence>(_ evaluations: S) where S.Element == TargetEvaluation {
        for evaluation in evaluations { add(evaluation) }
    }

    mutating func add(_ evaluation: TargetEvaluation) { move(evaluation, by: 1) }

    mutating func remove(_ evaluation: TargetEvaluation) { move(evaluation, by: -1) }

    private mutating func move(_ evaluation: TargetEvaluation, by step: Int32) {
        count += Int(step)
        let completion = evaluation.completion.rounded(scale: Self.scale)
        sum = step > 0 ? sum + completion : sum - completion
        switch evaluation.standing {
        case .met: met += step
        case .onTrack: onTrack += step
        case .amber: amber += step
        case .behind: behind += step
        }
    }

    /// Counts per standing, mean completion, and the standing of that mean against elapsed time.
    /// An empty tally has completion "0" and an unspecified standing.
    func progress(elapsed: Decimal, builder: DashboardBuilder) -> Tally_V1_Progress {
        var progress = Tally_V1_Progress()
        progress.total = Int32(clamping: count)
        progress.met = met
        progress.onTrack = onTrack
        progress.amber = amber
        progress.behind = behind
        guard count > 0 else {
            progress.completionPercent = "0"
            progress.standing = .unspecified
            return progress
        }
        let mean = sum / Decimal(count)
        progress.completionPercent = DashboardBuilder.percentString(mean)
        progress.standing = builder.standing(completion: mean, elapsedPercent: elapsed).proto
        return progress
    }
}
