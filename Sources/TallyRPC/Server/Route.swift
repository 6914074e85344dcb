/// A registered method with its message types erased to bytes; built by ``Router``.
enum Route: Sendable {
    case unary(@Sendable (_ request: [UInt8], ServerContext) async throws -> [UInt8])
    case serverStreaming(@Sendable (_ request: [UInt8], ResponseSink, ServerContext) async throws -> Void)
    case clientStreaming(
        @Sendable (_ requests: AsyncThrowingStream<[UInt8], Error>, ServerContext) async throws -> [UInt8])

    /// Whether the call takes exactly one request message (collected before the handler starts).
    var takesSingleRequest: Bool {
        if case .clientStreaming = self { return false }
        return true
    }
}
