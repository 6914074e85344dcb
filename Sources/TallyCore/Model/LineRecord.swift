import TallyMessages

/// A line of work inside a department (总部引领 → 现代海洋活力新城), a row of `lines`.
public struct LineRecord: Sendable, Hashable, Codable {
    public var code: String
    public var department: String
    public var name: String
    public var goal: String
    public var sortOrder: Int

    public init(code: String, department: String, name: String, goal: String = "", sortOrder: Int = 0) {
        self.code = code
        self.department = department
        self.name = name
        self.goal = goal
        self.sortOrder = sortOrder
    }

    enum CodingKeys: String, CodingKey {
        case code, department, name, goal
        case sortOrder = "sort_order"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        department = try container.decode(String.self, forKey: .department)
        name = try container.decode(String.self, forKey: .name)
        goal = try container.decode(.goal, default: "")
        sortOrder = try container.decode(.sortOrder, default: 0)
    }

    /// The wire message of this line.
    public var proto: Tally_V1_Line {
        var message = Tally_V1_Line()
        message.code = code
        message.department = department
        message.name = name
        message.goal = goal
        return message
    }

    /// A line from its wire message.
    public init(proto: Tally_V1_Line, sortOrder: Int = 0) {
        self.init(code: proto.code, department: proto.department, name: proto.name, goal: proto.goal, sortOrder: sortOrder)
    }
}
