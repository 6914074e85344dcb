import Foundation

extension TargetRecord {
    /// A target from its entity JSON as `tally_target_json` and `tally_apply_increments` write it
    /// (Schema/002, 003), read without `JSONDecoder` (``FlatJSON``) but with the same rules as its
    /// `Decodable`: missing or null optional keys take their defaults, figures are exact decimal
    /// text. nil for anything else, such as a key it does not know: decode that with `JSONDecoder`.
    init?(flatJSON text: String) {
        guard let object = FlatJSON.object(in: text), object.allSatisfy({ Self.flatKeys.contains($0.key) }),
              case .string(let id) = object["id"], case .string(let department) = object["department"],
              case .string(let line) = object["line"], case .string(let name) = object["name"],
              case .string(let unit) = object["unit"], case .string(let period) = object["period"],
              case .string(let targetText) = object["target_figure"],
              let targetFigure = ExactDecimalField.value(of: targetText),
              let direction = Self.flat(object["direction"], absent: Direction.whenMissing, Direction.init(rawValue:)),
              let currentFigure = Self.flat(object["current_figure"], absent: 0, ExactDecimalOrZeroField.value(of:)),
              let qualifier = Self.flat(object["qualifier"], absent: "", { $0 }),
              let note = Self.flat(object["note"], absent: "", { $0 }),
              let version = Self.flatInteger(object["version"], absent: 1),
              let sortOrder = Self.flatInteger(object["sort_order"], absent: 0).flatMap({ Int(exactly: $0) }),
              object["updated_at"] ?? .null == .null
        else { return nil }
        self.init(id: id, department: department, line: line, name: name, unit: unit, direction: direction,
                  targetFigure: targetFigure, currentFigure: currentFigure, period: period, qualifier: qualifier,
                  version: version, note: note, sortOrder: sortOrder)
    }

    /// The keys `Decodable` reads (``CodingKeys``).
    private static let flatKeys: Set<String> = [
        "id", "department", "line", "name", "unit", "direction", "target_figure", "current_figure", "period",
        "qualifier", "version", "note", "sort_order", "updated_at",
    ]

    /// A string key's value read by `read`; `absent` when missing or null; nil when not a string or unreadable.
    private static func flat<Value>(_ value: FlatJSON.Value?, absent: Value, _ read: (String) -> Value?) -> Value? {
        switch value {
        case nil, .null: absent
        case .string(let text): read(text)
        default: nil
        }
    }

    /// A whole-number key's value; `absent` when missing or null; nil when not a whole number.
    private static func flatInteger(_ value: FlatJSON.Value?, absent: Int64) -> Int64? {
        switch value {
        case nil, .null: absent
        case .integer(let number): number
        default: nil
        }
    }
}
