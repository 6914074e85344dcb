import TallyMessages

/// A department of the campaign (a row of `departments`).
public struct DepartmentRecord: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var kind: DepartmentKind
    @DefaultZero public var sortOrder: Int = 0

    enum CodingKeys: String, CodingKey {
        case code, name, kind, sortOrder = "sort_order"
    }
}

extension DepartmentRecord {
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
