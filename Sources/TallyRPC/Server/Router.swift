import Synchronization
import SwiftProtobuf
import TallyWire

/// Maps method names ("/tally.v1.Service/Method") to typed handlers. `/tally.v1.Health/Check` is built in.
public final class Router: Sendable {
    /// The built-in health check: accepts any request bytes, answers an empty message, needs no credentials.
    public static let healthCheckMethod = "/tally.v1.Health/Check"

    private let routes = Mutex<[String: Route]>([:])
    private let errorRenderer = Mutex<(@Sendable (any Error, ServerContext) -> any Error)?>(nil)

    public init() {
        routes.withLock { $0[Self.healthCheckMethod] = .unary { _, _ in [] } }
    }

    /// Registers a call with one request and one response.
    public func registerUnary<Req: SwiftProtobuf.Message, Resp: SwiftProtobuf.Message>(
        _ method: String, _ req: Req.Type, _ resp: Resp.Type,
        handler: @escaping @Sendable (Req, ServerContext) async throws -> Resp
    ) {
        register(method, .unary { bytes, context in
            let request = try Self.decode(Req.self, bytes)
            let response = try await handler(request, context)
            return try response.serializedBytes()
        })
    }

    /// Registers a call with one request and a stream of responses sent through a ``ResponseWriter``.
    public func registerServerStreaming<Req: SwiftProtobuf.Message, Resp: SwiftProtobuf.Message>(
        _ method: String, _ req: Req.Type, _ resp: Resp.Type,
        handler: @escaping @Sendable (Req, ResponseWriter<Resp>, ServerContext) async throws -> Void
    ) {
        register(method, .serverStreaming { bytes, sink, context in
            let request = try Self.decode(Req.self, bytes)
            try await handler(request, ResponseWriter(sink: sink), context)
        })
    }

    /// Registers a call with a stream of requests (a ``RequestStream``) and one response.
    public func registerClientStreaming<Req: SwiftProtobuf.Message, Resp: SwiftProtobuf.Message>(
        _ method: String, _ req: Req.Type, _ resp: Resp.Type,
        handler: @escaping @Sendable (RequestStream<Req>, ServerContext) async throws -> Resp
    ) {
        register(method, .clientStreaming { requests, context in
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

    /// Rewrites a handler's error before it becomes the call's status, e.g. to say it in the
    /// caller's language (the hook sees the call's context). Applies to every route.
    public func renderErrors(with renderer: @escaping @Sendable (any Error, ServerContext) -> any Error) {
        errorRenderer.withLock { $0 = renderer }
    }

    private func rendered(_ error: any Error, _ context: ServerContext) -> any Error {
        errorRenderer.withLock { $0 }.map { $0(error, context) } ?? error
    }

    private func register(_ method: String, _ route: Route) {
        let wrapped: Route = switch route {
        case .unary(let handler):
            .unary { [self] request, context in
                do { return try await handler(request, context) } catch { throw rendered(error, context) }
            }
        case .serverStreaming(let handler):
            .serverStreaming { [self] request, sink, context in
                do { try await handler(request, sink, context) } catch { throw rendered(error, context) }
            }
        case .clientStreaming(let handler):
            .clientStreaming { [self] requests, context in
                do { return try await handler(requests, context) } catch { throw rendered(error, context) }
            }
        }
        routes.withLock { $0[method] = wrapped }
    }

    static func decode<M: SwiftProtobuf.Message>(_ type: M.Type, _ bytes: [UInt8]) throws -> M {
        do {
            return try M(serializedBytes: bytes)
        } catch {
            throw RPCError(.invalidArgument, "cannot decode request as \(M.protoMessageName)")
        }
    }
}
