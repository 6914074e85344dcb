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
    @Defaulted public var direction: Direction = .atLeast
    @Exact public var targetFigure: Decimal
    @ExactOrZero public var currentFigure: Decimal = 0
    public var period: String
    /// The document's wording of the figure: "不少于", "力争", "以上", "10余个", or "".
    @Defaulted public var qualifier: String = ""
    @DefaultOne public var version: Int64 = 1
    @Defaulted public var note: String = ""
    @DefaultZero public var sortOrder: Int = 0
    @InstantIfAny public var updatedAt: Date? = nil

    /// Whether this is a done/not-done task rather than a figure.
    public var isTask: Bool { unit == Self.taskUnit }

    enum CodingKeys: String, CodingKey {
        case id, department, line, name, unit, direction
        case targetFigure = "target_figure", currentFigure = "current_figure"
        case period, qualifier, version, note
        case sortOrder = "sort_order", updatedAt = "updated_at"
    }
}

extension TargetRecord {
    /// The wire message of this target (figures as exact decimal strings).
    public var proto: Tally_V1_Target {
        var message = Tally_V1_Target()
        message.place(self)
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
        guard let direction = Direction(proto: proto.direction), let targetFigure = Decimal(exact: proto.targetFigure),
              let current = Decimal.wire(proto.currentFigure) else { return nil }
        self.init(id: proto.id, department: proto.department, line: proto.line, name: proto.name,
                  unit: proto.unit, direction: direction, targetFigure: targetFigure, currentFigure: current ?? 0,
                  period: proto.period, qualifier: qualifier, version: proto.version, note: proto.note,
                  sortOrder: sortOrder)
    }
}
