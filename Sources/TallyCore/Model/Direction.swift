import TallyMessages

/// Whether meeting a target means reaching at least, or staying at most, its figure.
public enum Direction: String, Sendable, Codable, CaseIterable {
    case atLeast = "at_least"
    case atMost = "at_most"

    /// The wire enum of this direction.
    public var proto: Tally_V1_Direction {
        switch self {
        case .atLeast: .atLeast
        case .atMost: .atMost
        }
    }

    /// The direction of a wire enum; nil for unspecified or unknown values.
    public init?(proto: Tally_V1_Direction) {
        switch proto {
        case .atLeast: self = .atLeast
        case .atMost: self = .atMost
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }
}
