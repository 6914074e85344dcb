import Foundation
import TallyMessages

/// A running sum of target evaluations: how many, their completions and their standings, so that
/// progress over many targets moves by one target's difference instead of a re-sum of all of them.
///
/// Completions enter at a fixed scale (``scale`` decimal places) as integers, so adding and removing
/// is exact and a running tally always equals one built afresh from the same evaluations. The mean
/// is worked out on those integers too; it is the same as the `Decimal` mean it stands for (see
/// ``progress(elapsed:builder:)``).
struct ProgressTally: Sendable, Hashable {
    /// Decimal places each completion is counted with.
    static let scale = 8

    private(set) var count = 0
    /// The sum of the completions, each rounded half away from zero to ``scale`` places, in units of
    /// 10^-scale (a completion is at most 100, so 10^10 units: no sum of a plan's targets comes near Int64's end).
    private(set) var units: Int64 = 0
    private(set) var met: Int32 = 0
    private(set) var onTrack: Int32 = 0
    private(set) var amber: Int32 = 0
    private(set) var behind: Int32 = 0
    private(set) var missed: Int32 = 0

    init() {}

    init<S: Sequence>(_ evaluations: S) where S.Element == TargetEvaluation {
        for evaluation in evaluations { add(evaluation) }
    }

    mutating func add(_ evaluation: TargetEvaluation) { move(evaluation, by: 1) }

    mutating func remove(_ evaluation: TargetEvaluation) { move(evaluation, by: -1) }

    private mutating func move(_ evaluation: TargetEvaluation, by step: Int32) {
        count += Int(step)
        let completion = evaluation.completionUnits(Self.scale) ?? Self.units(of: evaluation.completion)
        units = step > 0 ? units + completion : units - completion
        switch evaluation.standing {
        case .met: met += step
        case .onTrack: onTrack += step
        case .amber: amber += step
        case .behind: behind += step
        case .missed: missed += step
        }
    }

    /// A completion (0...100) rounded half away from zero to ``scale`` places, in units of 10^-scale.
    static func units(of completion: Decimal) -> Int64 {
        if let units = DecimalParts(completion)?.scaled(scale) { return units }
        let rounded = completion.rounded(scale: scale) * Decimal(sign: .plus, exponent: scale, significand: 1)
        guard let units = Int64(rounded.exactString) else {
            preconditionFailure("a completion is within 0...100, not \(completion)")
        }
        return units
    }

    /// The mean completion as `Decimal` (what the integers stand for; used where they cannot decide).
    var mean: Decimal {
        Decimal(sign: .plus, exponent: -Self.scale, significand: Decimal(units)) / Decimal(count)
    }

    /// Counts per standing, mean completion, and the standing of that mean against elapsed time.
    /// An empty tally has completion "0" and an unspecified standing.
    ///
    /// The mean's text and standing come from integer division of ``units`` by the count and equal
    /// those of the `Decimal` ``mean``: its 38 digits are off by less than 10^-35, while the mean of
    /// n targets lies on a rounding half-way point or at least 10^-10/n from it, and on a threshold
    /// that is a whole number of units or at least 10^-8/n from it. A mean in the same unit as a
    /// threshold that is not a whole number of units is decided on ``mean``.
    func progress(elapsed: Decimal, builder: DashboardBuilder) -> Tally_V1_Progress {
        var progress = Tally_V1_Progress()
        progress.total = Int32(clamping: count)
        progress.met = met
        progress.onTrack = onTrack
        progress.amber = amber
        progress.behind = behind
        progress.missed = missed
        guard count > 0 else {
            progress.completionPercent = "0"
            progress.standing = .unspecified
            return progress
        }
        progress.completionPercent = meanPercentText
        progress.standing = (meanStanding(elapsed: elapsed, builder: builder)
            ?? builder.standing(completion: mean, elapsedPercent: elapsed)).proto
        return progress
    }

    /// ``DashboardBuilder/percentString(_:)`` of the mean: rounded half away from zero to one place.
    var meanPercentText: String {
        let (divisor, overflow) = Int64(count).multipliedReportingOverflow(by: 10_000_000)
        guard !overflow, units >= 0 else { return DashboardBuilder.percentString(mean) }
        var (tenths, remainder) = units.quotientAndRemainder(dividingBy: divisor)
        if remainder >= divisor - remainder { tenths += 1 }
        return DecimalParts.text(units: tenths, scale: 1)
    }

    /// ``DashboardBuilder/standing(completion:elapsedPercent:)`` of the mean, or nil when the
    /// integers cannot decide a comparison (the mean in units lies in [units / count, that + 1)).
    func meanStanding(elapsed: Decimal, builder: DashboardBuilder) -> Standing? {
        guard count > 0, units >= 0 else { return nil }
        let floor = units / Int64(count)
        return builder.standing(elapsedPercent: elapsed) { DecimalParts.unit(floor, scale: Self.scale, isAtLeast: $0) }
    }
}
