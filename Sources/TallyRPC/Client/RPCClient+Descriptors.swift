import SwiftProtobuf
import TallyWire

/// Calls through generated ``MethodDescriptor``s: the path and message types come from the `.proto` file.
extension RPCClient {
    /// One request, one response.
    public func unary<Req: SwiftProtobuf.Message, Resp: SwiftProtobuf.Message>(
        _ method: MethodDescriptor<Req, Resp>, _ request: Req,
        metadata: [String: String] = [:], timeout: Duration? = nil
    ) async throws -> Resp {
        try await unary(method.path, request, as: Resp.self, metadata: metadata, timeout: timeout)
    }

    /// One request, a stream of responses.
    public func serverStreaming<Req: SwiftProtobuf.Message, Resp: SwiftProtobuf.Message>(
        _ method: MethodDescriptor<Req, Resp>, _ request: Req,
        metadata: [String: String] = [:], timeout: Duration? = nil
    ) -> AsyncThrowingStream<Resp, Error> {
        serverStreaming(method.path, request, as: Resp.self, metadata: metadata, timeout: timeout)
    }
}
