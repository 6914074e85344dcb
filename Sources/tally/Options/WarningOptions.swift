import ArgumentParser
import TallyCore

/// `tally serve --warn-*`: the thresholds of the early warnings (预警), server settings rather than code.
struct WarningOptions: ParsableArguments {
    @Option(name: .long, help: "Warn about a department with no report for a month this many days after its due day (the 5th of the next month).")
    var warnReportGraceDays: Int = 0

    @Option(name: .long, help: "Warn about a target red (behind by more than the tolerance) for this many periods running.")
    var warnRedPeriods: Int = 2

    @Option(name: .long, help: "Warn about stalled projects from this many days before the milestone date (the campaign's end).")
    var warnMilestoneDays: Int = 60

    @Option(name: .long, help: "A project short of its batch's milestone is stalled when its stage has not moved for this many months (this one included).")
    var warnStalledMonths: Int = 2

    func validate() throws {
        if let problem = rules.problem {
            throw ValidationError("--warn-\(problem.field.replacingOccurrences(of: "_", with: "-")) \(problem.message)")
        }
    }

    /// The thresholds as the server takes them.
    var rules: WarningRules {
        WarningRules(reportGraceDays: warnReportGraceDays, redPeriods: warnRedPeriods,
                     milestoneDays: warnMilestoneDays, stalledMonths: warnStalledMonths)
    }
}
