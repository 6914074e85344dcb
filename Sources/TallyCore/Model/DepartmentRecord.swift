import TallyMessages

/// A department of the campaign (a row of `departments`).
public struct DepartmentRecord: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var kind: DepartmentKind
    public var sortOrder: Int

    public init(code: String, name: String, kind: DepartmentKind, sortOrder: Int = 0) {
        self.code = code
        self.name = name
        self.kind = kind
        self.sortOrder = sortOrder
    }

    enum CodingKeys: String, CodingKey {
        case code, name, kind
        case sortOrder = "sort_order"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        name = try container.decode(String.self, forKey: .name)
        kind = try container.decode(DepartmentKind.self, forKey: .kind)
        sortOrder = try container.decode(.sortOrder, default: 0)
    }

    /// The wire message of this department.
    public var proto: Tally_V1_Department {
        var message = Tally_V1_Department()
        message.code = code
        message.name = name
        message.kind = kind.rawValue
        return message
    }

    /// A department from its wire message; nil when the kind is unknown.
    public init?(proto: Tally_V1_Department, sortOrder: Int = 0) {
        guard let kind = DepartmentKind(rawValue: proto.kind) else { return nil }
        self.init(code: proto.code, name: proto.name, kind: kind, sortOrder: sortOrder)
    }
}
