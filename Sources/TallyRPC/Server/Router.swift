import Synchronization
import SwiftProtobuf
import TallyWire

/// Maps method names ("/tally.v1.Service/Method") to typed handlers, each with the ``MethodAccess``
/// it declared; every call passes the router's interceptors, then those its method was registered
/// with, before its request is decoded. The health check (`Tally_V1_Health.Method.check`) is built in and open.
public final class Router: Sendable {
    /// The built-in health check: accepts any request bytes, answers an empty message, needs no credentials.
    public static let healthCheckMethod = Tally_V1_Health.Method.check.path

    private let routes = Mutex<[String: Route]>([:])
    private let interceptors: [any ServerInterceptor]

    /// A router whose calls pass `interceptors`, in order, before their handlers.
    public init(interceptors: [any ServerInterceptor] = []) {
        self.interceptors = interceptors
        register(Self.healthCheckMethod, access: .open, [], .unary { _, _ in [] })
    }

    /// Registers a call with one request and one response.
    public func registerUnary<Req: SwiftProtobuf.Message, Resp: SwiftProtobuf.Message>(
        _ method: String, _ req: Req.Type, _ resp: Resp.Type, access: MethodAccess = .open,
        interceptors methodInterceptors: [any ServerInterceptor] = [],
        handler: @escaping @Sendable (Req, ServerContext) async throws -> Resp
    ) {
        register(method, access: access, methodInterceptors, .unary { bytes, context in
            let request = try Self.decode(Req.self, bytes)
            let response = try await handler(request, context)
            return try response.serializedBytes()
        })
    }

    /// Registers a call with one request and a stream of responses sent through a ``ResponseWriter``.
    public func registerServerStreaming<Req: SwiftProtobuf.Message, Resp: SwiftProtobuf.Message>(
        _ method: String, _ req: Req.Type, _ resp: Resp.Type, access: MethodAccess = .open,
        interceptors methodInterceptors: [any ServerInterceptor] = [],
        handler: @escaping @Sendable (Req, ResponseWriter<Resp>, ServerContext) async throws -> Void
    ) {
        register(method, access: access, methodInterceptors, .serverStreaming { bytes, sink, context in
            let request = try Self.decode(Req.self, bytes)
            try await handler(request, ResponseWriter(sink: sink), context)
        })
    }

    /// Registers a call with a stream of requests (a ``RequestStream``) and one response.
    public func registerClientStreaming<Req: SwiftProtobuf.Message, Resp: SwiftProtobuf.Message>(
        _ method: String, _ req: Req.Type, _ resp: Resp.Type, access: MethodAccess = .open,
        interceptors methodInterceptors: [any ServerInterceptor] = [],
        handler: @escaping @Sendable (RequestStream<Req>, ServerContext) async throws -> Resp
    ) {
        register(method, access: access, methodInterceptors, .clientStreaming { requests, context in
            let response = try await handler(RequestStream(raw: requests), context)
            return try response.serializedBytes()
        })
    }

    /// The registered method names, sorted.
    public var methods: [String] {
        routes.withLock { $0.keys.sorted() }
    }

    func route(for method: String) -> Route? {
        routes.withLock { $0[method] }
    }

    /// Stores the route with the router's interceptors, then the method's own, run first and told of
    /// its end (captured by value: the router holds its routes, so the routes must not hold the router).
    private func register(_ method: String, access: MethodAccess, _ methodInterceptors: [any ServerInterceptor],
                          _ route: Route) {
        let interceptors = self.interceptors + methodInterceptors
        let intercepted: Route
        if interceptors.isEmpty {
            intercepted = route
        } else {
            let admit: @Sendable (ServerContext) async throws -> ServerContext = { context in
                var context = context
                for interceptor in interceptors { context = try await interceptor.intercept(context, access: access) }
                return context
            }
            // The error a call ends with passes the interceptors' `failed` steps, last one first.
            let failed: @Sendable (any Error, ServerContext) -> any Error = { error, context in
                interceptors.reversed().reduce(error) { error, interceptor in interceptor.failed(error, context: context) }
            }
            switch route {
            case .unary(let handler):
                intercepted = .unary { bytes, context in
                    try await Self.observed(context, interceptors) {
                        do { return try await handler(bytes, try await admit(context)) } catch { throw failed(error, context) }
                    }
                }
            case .serverStreaming(let handler):
                intercepted = .serverStreaming { bytes, sink, context in
                    try await Self.observed(context, interceptors) {
                        do { try await handler(bytes, sink, try await admit(context)) } catch { throw failed(error, context) }
                    }
                }
            case .clientStreaming(let handler):
                intercepted = .clientStreaming { requests, context in
                    try await Self.observed(context, interceptors) {
                        do { return try await handler(requests, try await admit(context)) } catch { throw failed(error, context) }
                    }
                }
            }
        }
        routes.withLock { $0[method] = intercepted }
    }

    /// Runs a call and tells every interceptor how it ended and how long it took.
    private static func observed<T: Sendable>(
        _ context: ServerContext, _ interceptors: [any ServerInterceptor], _ call: () async throws -> T
    ) async throws -> T {
        let start = ContinuousClock.now
        do {
            let result = try await call()
            let duration = ContinuousClock.now - start
            for interceptor in interceptors { interceptor.completed(context, status: .ok, duration: duration) }
            return result
        } catch {
            let duration = ContinuousClock.now - start
            let status = StatusCode.of(error)
            for interceptor in interceptors { interceptor.completed(context, status: status, duration: duration) }
            throw error
        }
    }

    static func decode<M: SwiftProtobuf.Message>(_ type: M.Type, _ bytes: [UInt8]) throws -> M {
        do {
            return try M(serializedBytes: bytes)
        } catch {
            throw RPCError(.invalidArgument, "cannot decode request as \(M.protoMessageName)", cause: error)
        }
    }
}
