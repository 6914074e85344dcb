import Foundation

/// The thresholds of the early warnings (预警): a campaign's plan file sets them (`warnings`,
/// Schema/PLAN-FORMAT.md), else the server's settings (`tally serve --warn-*`); never constants of
/// the code. The tolerance that makes a target red is the dashboard's own.
public struct WarningRules: Sendable, Hashable, Codable {
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

    enum CodingKeys: String, CodingKey {
        case reportGraceDays = "report_grace_days"
        case redPeriods = "red_periods"
        case milestoneDays = "milestone_days"
        case stalledMonths = "stalled_months"
    }

    /// Each threshold's key and field, for decoding.
    private static let fields: [(key: CodingKeys, field: WritableKeyPath<WarningRules, Int> & Sendable)] = [
        (.reportGraceDays, \.reportGraceDays), (.redPeriods, \.redPeriods),
        (.milestoneDays, \.milestoneDays), (.stalledMonths, \.stalledMonths),
    ]

    /// Decodes the plan file's object; a field left out (or null) keeps its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        for (key, field) in Self.fields {
            if let value = try container.decodeIfPresent(Int.self, forKey: key) { self[keyPath: field] = value }
        }
    }

    /// What is wrong with the thresholds (field and message), nil when they can be used.
    public var problem: (field: String, message: String)? {
        if reportGraceDays < 0 { return ("report_grace_days", "must not be negative") }
        if redPeriods < 1 { return ("red_periods", "must be at least 1") }
        if milestoneDays < 0 { return ("milestone_days", "must not be negative") }
        if stalledMonths < 1 { return ("stalled_months", "must be at least 1") }
        return nil
    }
}
