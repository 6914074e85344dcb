/// Who is calling: the credential a request authenticated with, its role and department.
public struct Principal: Sendable, Hashable {
    public var credentialID: String
    public var role: Role
    /// Set for the department role only.
    public var department: String?

    public init(credentialID: String, role: Role, department: String?) {
        self.credentialID = credentialID
        self.role = role
        self.department = department
    }
}
