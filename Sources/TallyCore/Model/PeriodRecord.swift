import Foundation

/// A reporting period (the year "2023" or a month "2023-01"), bounds in China Standard Time.
///
/// `startsAt` is inclusive, `endsAt` exclusive; `dueAt` is when the period's report is due.
public struct PeriodRecord: Sendable, Hashable, Codable {
    /// Whether a period is the campaign year or one of its months.
    public enum Kind: String, Sendable, Codable {
        case year
        case month
    }

    public var code: String
    public var kind: Kind
    @Instant public var startsAt: Date
    @Instant public var endsAt: Date
    @Instant public var dueAt: Date

    /// Whether the instant falls inside the period.
    public func contains(_ date: Date) -> Bool { date >= startsAt && date < endsAt }

    enum CodingKeys: String, CodingKey {
        case code, kind, startsAt = "starts_at", endsAt = "ends_at", dueAt = "due_at"
    }
}
