import TallyMessages

/// What a credential may do: report for one department, watch everything, or change the plan.
public enum Role: String, Sendable, Codable, CaseIterable {
    case department
    case central
    case admin

    /// The wire enum of this role.
    public var proto: Tally_V1_Role {
        switch self {
        case .department: .department
        case .central: .central
        case .admin: .admin
        }
    }

    /// The role of a wire enum; nil for unspecified or unknown values.
    public init?(proto: Tally_V1_Role) {
        switch proto {
        case .department: self = .department
        case .central: self = .central
        case .admin: self = .admin
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }
}
