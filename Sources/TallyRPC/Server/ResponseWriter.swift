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

    /// Outbound bytes buffered on this call's connection, for slow-reader policies.
    public var bufferedBytes: Int { sink.bufferedBytes }
}
