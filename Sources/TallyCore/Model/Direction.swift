import TallyMessages

/// Whether meeting a target means reaching at least, or staying at most, its figure.
public enum Direction: String, Sendable, Codable, WireEnumMirror {
    public typealias Wire = Tally_V1_Direction

    case atLeast = "at_least"
    case atMost = "at_most"
}

extension Direction: FieldDefault {
    /// A target with no direction is to be reached.
    public static var whenMissing: Direction { .atLeast }
}
