import SwiftProtobuf

/// The requests of a client-streaming call, in order. Ends when the client sends END_STREAM; throws
/// RPCError(.invalidArgument) for a message that cannot be decoded, and on cancellation.
public struct RequestStream<Request: SwiftProtobuf.Message>: AsyncSequence, Sendable {
    public typealias Element = Request
    let raw: RawRequests

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<[UInt8], Error>.AsyncIterator
        let consumed: @Sendable (Int) -> Void

        public mutating func next() async throws -> Request? {
            guard let bytes = try await base.next() else { return nil }
            consumed(bytes.count)
            return try Router.decode(Request.self, bytes)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: raw.stream.makeAsyncIterator(), consumed: raw.consumed)
    }
}
