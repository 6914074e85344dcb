/// A registered method with its message types erased to bytes; built by ``Router``.
enum Route: Sendable {
    case unary(@Sendable (_ request: [UInt8], ServerContext) async throws -> [UInt8])
    case serverStreaming(@Sendable (_ request: [UInt8], ResponseSink, ServerContext) async throws -> Void)
    case clientStreaming(@Sendable (_ requests: RawRequests, ServerContext) async throws -> [UInt8])

    /// Whether the call takes exactly one request message (collected before the handler starts).
    var takesSingleRequest: Bool {
        if case .clientStreaming = self { return false }
        return true
    }
}

/// The undecoded requests of a client-streaming call, and how to report that the handler consumed one
/// (so the connection can stop reading while a handler lags behind, and resume when it catches up).
struct RawRequests: Sendable {
    let stream: AsyncThrowingStream<[UInt8], Error>
    let consumed: @Sendable (_ bytes: Int) -> Void
}
