import Foundation
import TallyMessages

/// A target of a department for a period (a row of `targets`); unit "项" marks a done/not-done task.
public struct TargetRecord: Sendable, Hashable, Codable {
    /// The unit of tasks without a number: figure 1, done (1) or not (0).
    public static let taskUnit = "项"

    public var id: String
    public var department: String
    public var line: String
    public var name: String
    public var unit: String
    public var direction: Direction
    public var targetFigure: Decimal
    public var currentFigure: Decimal
    public var period: String
    /// The document's wording of the figure: "不少于", "力争", "以上", "10余个", or "".
    public var qualifier: String
    public var version: Int64
    public var note: String
    public var sortOrder: Int
    public var updatedAt: Date?

    public init(id: String, department: String, line: String, name: String, unit: String,
                direction: Direction = .atLeast, targetFigure: Decimal, currentFigure: Decimal = 0,
                period: String, qualifier: String = "", version: Int64 = 1, note: String = "",
                sortOrder: Int = 0, updatedAt: Date? = nil) {
        self.id = id
        self.department = department
        self.line = line
        self.name = name
        self.unit = unit
        self.direction = direction
        self.targetFigure = targetFigure
        self.currentFigure = currentFigure
        self.period = period
        self.qualifier = qualifier
        self.version = version
        self.note = note
        self.sortOrder = sortOrder
        self.updatedAt = updatedAt
    }

    /// Whether this is a done/not-done task rather than a figure.
    public var isTask: Bool { unit == Self.taskUnit }

    enum CodingKeys: String, CodingKey {
        case id, department, line, name, unit, direction, period, qualifier, version, note
        case targetFigure = "target_figure"
        case currentFigure = "current_figure"
        case sortOrder = "sort_order"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        department = try container.decode(String.self, forKey: .department)
        line = try container.decode(String.self, forKey: .line)
        name = try container.decode(String.self, forKey: .name)
        unit = try container.decode(String.self, forKey: .unit)
        direction = try container.decode(.direction, default: .atLeast)
        targetFigure = try container.decodeExact(.targetFigure)
        currentFigure = try container.decodeExact(.currentFigure, default: 0)
        period = try container.decode(String.self, forKey: .period)
        qualifier = try container.decode(.qualifier, default: "")
        version = try container.decode(.version, default: 1)
        note = try container.decode(.note, default: "")
        sortOrder = try container.decode(.sortOrder, default: 0)
        updatedAt = try container.decodeTimestampIfPresent(.updatedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(department, forKey: .department)
        try container.encode(line, forKey: .line)
        try container.encode(name, forKey: .name)
        try container.encode(unit, forKey: .unit)
        try container.encode(direction, forKey: .direction)
        try container.encodeExact(targetFigure, forKey: .targetFigure)
        try container.encodeExact(currentFigure, forKey: .currentFigure)
        try container.encode(period, forKey: .period)
        try container.encode(qualifier, forKey: .qualifier)
        try container.encode(version, forKey: .version)
        try container.encode(note, forKey: .note)
        try container.encode(sortOrder, forKey: .sortOrder)
        try container.encodeTimestamp(updatedAt, forKey: .updatedAt)
    }

    /// The wire message of this target (figures as exact decimal strings).
    public var proto: Tally_V1_Target {
        var message = Tally_V1_Target()
        message.id = id
        message.department = department
        message.line = line
        message.name = name
        message.unit = unit
        message.direction = direction.proto
        message.targetFigure = targetFigure.exactString
        message.currentFigure = currentFigure.exactString
        message.period = period
        message.version = version
        message.note = note
        return message
    }

    /// A target from its wire message; nil when a figure is not exact decimal text or the
    /// direction is unspecified. An empty current figure reads as 0.
    public init?(proto: Tally_V1_Target, qualifier: String = "", sortOrder: Int = 0) {
        guard let direction = Direction(proto: proto.direction),
              let targetFigure = Decimal(exact: proto.targetFigure) else { return nil }
        let current: Decimal
        if proto.currentFigure.isEmpty {
            current = 0
        } else if let parsed = Decimal(exact: proto.currentFigure) {
            current = parsed
        } else {
            return nil
        }
        self.init(id: proto.id, department: proto.department, line: proto.line, name: proto.name,
                  unit: proto.unit, direction: direction, targetFigure: targetFigure, currentFigure: current,
                  period: proto.period, qualifier: qualifier, version: proto.version, note: proto.note,
                  sortOrder: sortOrder)
    }
}
