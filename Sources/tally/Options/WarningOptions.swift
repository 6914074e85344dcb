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
        guard warnReportGraceDays >= 0 else { throw ValidationError("--warn-report-grace-days must not be negative") }
        guard warnRedPeriods >= 1 else { throw ValidationError("--warn-red-periods must be at least 1") }
        guard warnMilestoneDays >= 0 else { throw ValidationError("--warn-milestone-days must not be negative") }
        guard warnStalledMonths >= 1 else { throw ValidationError("--warn-stalled-months must be at least 1") }
    }

    /// The thresholds as the server takes them.
    var rules: WarningRules {
        WarningRules(reportGraceDays: warnReportGraceDays, redPeriods: warnRedPeriods,
                     milestoneDays: warnMilestoneDays, stalledMonths: warnStalledMonths)
    }
}
