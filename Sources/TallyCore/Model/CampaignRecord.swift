/// A campaign (a row of `campaigns`): its year period's code, its name and its plan document's notes.
public struct CampaignRecord: Sendable, Hashable, Codable {
    /// The campaign's year period ("2023").
    public var code: String
    /// 创新突破年.
    public var name: String
    /// Decisions taken when turning the plan's source text into data, in prose.
    public var notes: [String]
    /// The plan document's format version.
    public var format: Int
    /// The plan's early-warning thresholds; nil: the server's settings.
    public var warnings: WarningRules?

    public init(code: String, name: String, notes: [String] = [], format: Int = 1, warnings: WarningRules? = nil) {
        self.code = code
        self.name = name
        self.notes = notes
        self.format = format
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey {
        case code, name, notes, format, warnings
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        name = try container.decode(String.self, forKey: .name)
        notes = try container.decode(.notes, default: [])
        format = try container.decode(.format, default: 1)
        warnings = try container.decodeIfPresent(WarningRules.self, forKey: .warnings)
    }
}
