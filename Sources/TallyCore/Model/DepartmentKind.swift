/// The kind of a department: the central office, a functional zone (功能区) or a subdistrict (街道).
public enum DepartmentKind: String, Sendable, Codable, CaseIterable {
    case central
    case functionalZone = "functional_zone"
    case subdistrict
}
