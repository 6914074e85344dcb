import TallyWire

/// A step every call passes before its handler, in the order the ``Router`` was given them (or, given
/// when a method is registered, a step only that method's calls pass, after the router's): where
/// cross-cutting rules such as authentication or metrics live once instead of in every handler (as
/// grpc-swift's `ServerInterceptor`).
public protocol ServerInterceptor: Sendable {
    /// Sees the call before its request is decoded; returns the context the handler will see (for
    /// example with ``ServerContext/principal`` set), or throws an ``RPCError`` to refuse the call.
    func intercept(_ context: ServerContext, access: MethodAccess) async throws -> ServerContext

    /// Sees the error the call ends with (thrown by a later interceptor or the handler) and may
    /// rewrite it, for example to say its message in the caller's language. Runs in reverse order.
    func failed(_ error: any Error, context: ServerContext) -> any Error

    /// Sees the call end, refused or answered: the status its caller gets and how long it took
    /// (for a stream, from its start to its end).
    func completed(_ context: ServerContext, status: StatusCode, duration: Duration)
}

extension ServerInterceptor {
    /// By default an interceptor passes errors on unchanged.
    public func failed(_ error: any Error, context: ServerContext) -> any Error { error }

    /// Most interceptors only admit calls.
    public func completed(_ context: ServerContext, status: StatusCode, duration: Duration) {}
}

extension StatusCode {
    /// The status a caller gets for a handler's error (as the connection reports it).
    public static func of(_ error: any Error) -> StatusCode {
        switch error {
        case let error as RPCError: error.code
        case is CancellationError: .cancelled
        default: .internalError
        }
    }
}
