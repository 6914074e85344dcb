import TallyWire

/// Resolves who is calling from a call's metadata; plugged into an ``AuthenticationInterceptor``.
public protocol PrincipalResolver: Sendable {
    /// What a handler learns about its caller.
    associatedtype Principal: Sendable

    /// The caller of the call, or an ``RPCError`` (UNAUTHENTICATED for missing or bad credentials).
    func principal(of context: ServerContext) async throws -> Principal

    /// The principal's role, matched against a method's ``MethodAccess/roles``.
    func role(of principal: Principal) -> String

    /// The error for a principal whose role the method does not allow (PERMISSION_DENIED, saying why).
    func refusal(of principal: Principal, access: MethodAccess, context: ServerContext) -> RPCError
}

/// Authentication as a router step: for every method that needs a credential it resolves the
/// principal, checks the role the method declared, and hands the principal to the handler in
/// ``ServerContext/principal``. Methods registered as ``MethodAccess/open`` pass untouched.
public struct AuthenticationInterceptor<Resolver: PrincipalResolver>: ServerInterceptor {
    private let resolver: Resolver

    public init(_ resolver: Resolver) {
        self.resolver = resolver
    }

    public func intercept(_ context: ServerContext, access: MethodAccess) async throws -> ServerContext {
        guard let roles = access.roles else { return context }
        let principal = try await resolver.principal(of: context)
        guard roles.contains(resolver.role(of: principal)) else {
            throw resolver.refusal(of: principal, access: access, context: context)
        }
        var context = context
        context.principal = principal
        return context
    }
}
