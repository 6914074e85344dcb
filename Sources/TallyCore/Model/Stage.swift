import TallyMessages

/// A project's stage, in the order projects move through them; raw values are the SQL ones.
public enum Stage: String, Sendable, Codable, WireEnumMirror, Comparable {
    public typealias Wire = Tally_V1_Stage

    case planned
    case signed
    case landAcquired = "land_acquired"
    case underConstruction = "under_construction"
    case completed
    case inProduction = "in_production"

    /// Position in the sequence planned (0) ... in_production (5).
    public var order: Int { position }

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
}

extension Stage: FieldDefault {
    /// A project with no stage is planned.
    public static var whenMissing: Stage { .planned }
}
