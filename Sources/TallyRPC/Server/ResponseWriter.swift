import SwiftProtobuf

/// Where a handler's responses go: the call's stream on its connection.
struct ResponseSink: Sendable {
    let connection: ServerConnection
    let stream: UInt32

    func send(_ payload: [UInt8]) async throws {
        try await connection.send(stream: stream, payload: payload)
    }

    var bufferedBytes: Int { connection.bufferedBytesSnapshot }
}

/// Sends the responses of a server-streaming call.
public final class ResponseWriter<Response: SwiftProtobuf.Message>: Sendable {
    let sink: ResponseSink

    init(sink: ResponseSink) {
        self.sink = sink
    }

    /// Sends one response. Suspends while the connection's outbound buffer is above the high watermark;
    /// throws when the call was cancelled or has ended (the handler should then return).
    public func send(_ message: Response) async throws {
        try Task.checkCancellation()
        try await sink.send(try message.serializedBytes())
    }

    /// Sends one response that is already serialized, so that a message going to many calls (a
    /// change event for every watcher) is encoded once. `bytes` must be a serialized `Response`.
    public func send(serialized bytes: [UInt8]) async throws {
        try Task.checkCancellation()
        try await sink.send(bytes)
    }

    /// Sends responses that are already serialized without suspending, in order, as many as the
    /// connection takes below its high watermark; returns how many. The rest must follow through
    /// ``send(serialized:)``. For a publisher that hands one event to many streams and must not wait
    /// for any one of them. Throws when an earlier response on this call failed.
    public func sendWithoutWaiting(serialized messages: [[UInt8]]) throws -> Int {
        try sink.connection.stageWhileRoom(stream: sink.stream, payloads: messages)
    }

    /// Outbound bytes buffered on this call's connection, for slow-reader policies.
    public var bufferedBytes: Int { sink.bufferedBytes }
}
