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
    public var startsAt: Date
    public var endsAt: Date
    public var dueAt: Date

    public init(code: String, kind: Kind, startsAt: Date, endsAt: Date, dueAt: Date) {
        self.code = code
        self.kind = kind
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.dueAt = dueAt
    }

    /// Whether the instant falls inside the period.
    public func contains(_ date: Date) -> Bool { date >= startsAt && date < endsAt }

    enum CodingKeys: String, CodingKey {
        case code, kind
        case startsAt = "starts_at"
        case endsAt = "ends_at"
        case dueAt = "due_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        kind = try container.decode(Kind.self, forKey: .kind)
        startsAt = try container.decodeTimestamp(.startsAt)
        endsAt = try container.decodeTimestamp(.endsAt)
        dueAt = try container.decodeTimestamp(.dueAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(kind, forKey: .kind)
        try container.encodeTimestamp(startsAt, forKey: .startsAt)
        try container.encodeTimestamp(endsAt, forKey: .endsAt)
        try container.encodeTimestamp(dueAt, forKey: .dueAt)
    }
}
