import TallyWire

/// The response messages of one server-streaming call as their serialized bytes, in order
/// (``RPCClient/serverStreamingBytes(_:_:metadata:timeout:)``). Dropping it before the call ended
/// cancels the call.
public struct ResponseMessages: Sendable {
    private let buffer: ResponseBuffer?
    private let failure: (any Error)?

    init(buffer: ResponseBuffer) {
        self.buffer = buffer
        failure = nil
    }

    /// A call that could not start (its request did not encode).
    init(failed error: any Error) {
        buffer = nil
        failure = error
    }

    /// The next message; nil once the call ended well; throws the call's error.
    public func next() async throws -> [UInt8]? {
        guard let buffer else { throw failure ?? RPCError(.internalError, "the call did not start") }
        return try await buffer.next()
    }

    /// Gives up the call from this side: it is cancelled, later messages are dropped.
    public func abandon() {
        buffer?.abandon()
    }
}
