/// A step every call passes before its handler, in the order the ``Router`` was given them: where
/// cross-cutting rules such as authentication live once instead of in every handler (as
/// grpc-swift's `ServerInterceptor`).
public protocol ServerInterceptor: Sendable {
    /// Sees the call before its request is decoded; returns the context the handler will see (for
    /// example with ``ServerContext/principal`` set), or throws an ``RPCError`` to refuse the call.
    func intercept(_ context: ServerContext, access: MethodAccess) async throws -> ServerContext

    /// Sees the error the call ends with (thrown by a later interceptor or the handler) and may
    /// rewrite it, for example to say its message in the caller's language. Runs in reverse order.
    func failed(_ error: any Error, context: ServerContext) -> any Error
}

extension ServerInterceptor {
    /// By default an interceptor passes errors on unchanged.
    public func failed(_ error: any Error, context: ServerContext) -> any Error { error }
}
