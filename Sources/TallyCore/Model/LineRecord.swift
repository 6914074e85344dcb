import TallyMessages

/// A line of work inside a department (总部引领 → 现代海洋活力新城), a row of `lines`.
public struct LineRecord: Sendable, Hashable, Codable {
    public var code: String
    public var department: String
    public var name: String
    @Defaulted public var goal: String = ""
    @DefaultZero public var sortOrder: Int = 0

    enum CodingKeys: String, CodingKey {
        case code, department, name, goal, sortOrder = "sort_order"
    }
}

extension LineRecord {
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
