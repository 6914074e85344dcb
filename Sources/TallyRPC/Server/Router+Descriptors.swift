import SwiftProtobuf
import TallyWire

/// Registration through generated ``MethodDescriptor``s: the path and message types come from the
/// `.proto` file, so a handler cannot be registered under a misspelt name or with the wrong types,
/// and every method states who may call it (and, in `interceptors`, any step only it needs first).
extension Router {
    /// Registers a unary method.
    public func registerUnary<Req: SwiftProtobuf.Message, Resp: SwiftProtobuf.Message>(
        _ method: MethodDescriptor<Req, Resp>, access: MethodAccess,
        interceptors: [any ServerInterceptor] = [],
        handler: @escaping @Sendable (Req, ServerContext) async throws -> Resp
    ) {
        precondition(method.kind == .unary, "\(method.path) is \(method.kind), not unary")
        registerUnary(method.path, Req.self, Resp.self, access: access, interceptors: interceptors, handler: handler)
    }

    /// Registers a server-streaming method.
    public func registerServerStreaming<Req: SwiftProtobuf.Message, Resp: SwiftProtobuf.Message>(
        _ method: MethodDescriptor<Req, Resp>, access: MethodAccess,
        interceptors: [any ServerInterceptor] = [],
        handler: @escaping @Sendable (Req, ResponseWriter<Resp>, ServerContext) async throws -> Void
    ) {
        precondition(method.kind == .serverStreaming, "\(method.path) is \(method.kind), not server streaming")
        registerServerStreaming(method.path, Req.self, Resp.self, access: access, interceptors: interceptors, handler: handler)
    }

    /// Registers a client-streaming method.
    public func registerClientStreaming<Req: SwiftProtobuf.Message, Resp: SwiftProtobuf.Message>(
        _ method: MethodDescriptor<Req, Resp>, access: MethodAccess,
        interceptors: [any ServerInterceptor] = [],
        handler: @escaping @Sendable (RequestStream<Req>, ServerContext) async throws -> Resp
    ) {
        precondition(method.kind == .clientStreaming, "\(method.path) is \(method.kind), not client streaming")
        registerClientStreaming(method.path, Req.self, Resp.self, access: access, interceptors: interceptors, handler: handler)
    }
}
