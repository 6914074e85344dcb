/// A campaign (a row of `campaigns`): its year period's code, its name and its plan document's notes.
public struct CampaignRecord: Sendable, Hashable, Codable {
    /// The campaign's year period ("2023").
    public var code: String
    /// 创新突破年.
    public var name: String
    /// Decisions taken when turning the plan's source text into data, in prose.
    @Defaulted public var notes: [String] = []
    /// The plan document's format version.
    @DefaultOne public var format: Int = 1
    /// The plan's early-warning thresholds; nil: the server's settings.
    public var warnings: WarningRules? = nil
}
