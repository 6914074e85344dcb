import TallyMessages

/// A project's stage, in the order projects move through them; raw values are the SQL ones.
public enum Stage: String, Sendable, Codable, CaseIterable, Comparable {
    case planned
    case signed
    case landAcquired = "land_acquired"
    case underConstruction = "under_construction"
    case completed
    case inProduction = "in_production"

    /// Position in the sequence planned (0) ... in_production (5).
    public var order: Int {
        switch self {
        case .planned: 0
        case .signed: 1
        case .landAcquired: 2
        case .underConstruction: 3
        case .completed: 4
        case .inProduction: 5
        }
    }

    public static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.order < rhs.order }

    /// The office's Chinese name of the stage (计划, 签约, 拿地, 在建, 竣工, 投产运营).
    public var chineseLabel: String {
        switch self {
        case .planned: "计划"
        case .signed: "签约"
        case .landAcquired: "拿地"
        case .underConstruction: "在建"
        case .completed: "竣工"
        case .inProduction: "投产运营"
        }
    }

    /// The wire enum of this stage.
    public var proto: Tally_V1_Stage {
        switch self {
        case .planned: .planned
        case .signed: .signed
        case .landAcquired: .landAcquired
        case .underConstruction: .underConstruction
        case .completed: .completed
        case .inProduction: .inProduction
        }
    }

    /// The stage of a wire enum; nil for unspecified or unknown values.
    public init?(proto: Tally_V1_Stage) {
        switch proto {
        case .planned: self = .planned
        case .signed: self = .signed
        case .landAcquired: self = .landAcquired
        case .underConstruction: self = .underConstruction
        case .completed: self = .completed
        case .inProduction: self = .inProduction
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }
}
