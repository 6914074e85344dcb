import TallyMessages

/// What a credential may do: report for one department, watch everything, or change the plan.
public enum Role: String, Sendable, Codable, WireEnumMirror {
    public typealias Wire = Tally_V1_Role

    case department
    case central
    case admin
}
