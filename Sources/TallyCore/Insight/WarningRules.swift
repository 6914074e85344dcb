import Foundation

/// The thresholds of the early warnings (预警): server settings (`tally serve --warn-*`), never
/// constants of the code. The tolerance that makes a target red is the dashboard's own.
public struct WarningRules: Sendable, Hashable {
    /// Days after a month's due day before a department with no report for it is warned about.
    public var reportGraceDays: Int = 0
    /// Periods running a target must be red (now, and at the end of the months before) to be warned about.
    public var redPeriods: Int = 2
    /// Days before the milestone date (the campaign's end) from which a stalled project is warned about.
    public var milestoneDays: Int = 60
    /// Months (this one included) without a stage move that make a project short of its milestone stalled.
    public var stalledMonths: Int = 2

    public init(reportGraceDays: Int = 0, redPeriods: Int = 2, milestoneDays: Int = 60, stalledMonths: Int = 2) {
        self.reportGraceDays = reportGraceDays
        self.redPeriods = redPeriods
        self.milestoneDays = milestoneDays
        self.stalledMonths = stalledMonths
    }
}
