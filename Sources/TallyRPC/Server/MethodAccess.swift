/// Who may call a method: declared when the method is registered, checked by the router's
/// interceptors (see ``AuthenticationInterceptor``) before the request is even decoded.
public struct MethodAccess: Sendable, Hashable, CustomStringConvertible {
    /// A short name for the rule ("report", "read"), for refusal messages and logs.
    public let name: String
    /// The role names allowed to call; nil when anyone may, without a credential.
    public let roles: Set<String>?

    /// Any caller, no credential needed (the health check, benchmark methods).
    public static let open = MethodAccess(name: "open", anyRoles: nil)

    /// Callers whose principal has one of `roles`.
    public init(name: String, roles: Set<String>) {
        self.init(name: name, anyRoles: roles)
    }

    private init(name: String, anyRoles roles: Set<String>?) {
        self.name = name
        self.roles = roles
    }

    public var description: String {
        guard let roles else { return name }
        return "\(name) (\(roles.sorted().joined(separator: ", ")))"
    }
}
