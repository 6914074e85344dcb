import Logging
import SwiftProtobuf
import TallyWire

/// A client of the Tally RPC protocol: one TCP connection multiplexing all calls, opened lazily on the
/// first call and reopened (with exponential backoff) after it drops or the server sends GOAWAY.
///
/// ```swift
/// let client = RPCClient(configuration: ClientConfiguration(host: "127.0.0.1", port: 7411))
/// let reply = try await client.unary("/demo.v1.Echo/Say", request, as: Reply.self, timeout: .seconds(2))
/// for try await item in client.serverStreaming("/demo.v1.Feed/Watch", request, as: Item.self) { ... }
/// await client.close()
/// ```
/// Errors are ``RPCError``: the server's status, or UNAVAILABLE when the connection is lost or refused
/// ("cannot reach 127.0.0.1:7411: connection refused"), DEADLINE_EXCEEDED for the timeout.
/// Cancelling the calling Task sends CANCEL and throws `CancellationError`.
public final class RPCClient: Sendable {
    let core: ClientCore

    public init(
        configuration: ClientConfiguration, logger: Logger = Logger(label: "tally.rpc.client")
    ) {
        core = ClientCore(configuration: configuration, logger: logger)
    }

    /// One request, one response.
    public func unary<Req: SwiftProtobuf.Message, Resp: SwiftProtobuf.Message>(
        _ method: String, _ request: Req, as: Resp.Type,
        metadata: [String: String] = [:], timeout: Duration? = nil
    ) async throws -> Resp {
        let payload = try Self.encode(request)
        let header = Self.header(method, metadata, timeout)
        let call = ClientCall()
        let core = self.core
        let bytes = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, Error>) in
                core.queue.async {
                    if let outcome = call.outcome {
                        continuation.resume(with: outcome)
                        return
                    }
                    call.resultWaiter = continuation
                    core.start(call, header: header, message: payload, end: true, timeout: timeout)
                }
            }
        } onCancel: {
            core.queue.async { core.cancel(call, with: CancellationError()) }
        }
        return try Self.decode(Resp.self, bytes)
    }

    /// One request, a stream of responses. Cancelling the consuming Task or dropping the stream sends CANCEL.
    ///
    /// Responses the consumer has not taken yet are buffered up to
    /// ``ClientConfiguration/inboundHighWatermark`` bytes; past that the connection stops reading its
    /// socket until the consumer catches up, so a slow consumer holds the server back (TCP) instead of
    /// growing this process's memory. While reading is paused, other calls on the connection wait too.
    public func serverStreaming<Req: SwiftProtobuf.Message, Resp: SwiftProtobuf.Message>(
        _ method: String, _ request: Req, as: Resp.Type,
        metadata: [String: String] = [:], timeout: Duration? = nil
    ) -> AsyncThrowingStream<Resp, Error> {
        let messages = serverStreamingBytes(method, request, metadata: metadata, timeout: timeout)
        return AsyncThrowingStream(unfolding: {
            guard let bytes = try await messages.next() else { return nil }
            do {
                return try Resp(serializedBytes: bytes)
            } catch {
                messages.abandon()
                throw RPCError(.internalError, "cannot decode response as \(Resp.protoMessageName)", cause: error)
            }
        })
    }

    /// The same call, its responses left as their serialized bytes: for a reader that needs one
    /// field of each message and would rather not decode the rest (the benchmark's watchers).
    public func serverStreamingBytes<Req: SwiftProtobuf.Message>(
        _ method: String, _ request: Req, metadata: [String: String] = [:], timeout: Duration? = nil
    ) -> ResponseMessages {
        let payload: [UInt8]
        do {
            payload = try Self.encode(request)
        } catch {
            return ResponseMessages(failed: error)
        }
        let header = Self.header(method, metadata, timeout)
        let call = ClientCall()
        let core = self.core
        let buffer = ResponseBuffer(
            highWatermark: core.configuration.inboundHighWatermark,
            lowWatermark: core.configuration.inboundLowWatermark,
            onPressure: { full in core.queue.async { call.connection?.inboundPressure(on: call, full: full) } },
            onAbandon: { core.queue.async { core.cancel(call, with: CancellationError()) } })
        core.queue.async { [weak buffer] in
            guard let buffer else { return }  // the stream was dropped before the call started
            call.onMessage = { [weak buffer] bytes in buffer?.append(bytes) }
            call.onFinish = { [weak buffer] result in buffer?.finish(result.map { _ in () }) }
            core.start(call, header: header, message: payload, end: true, timeout: timeout)
        }
        return ResponseMessages(buffer: buffer)
    }

    /// A sequence of requests, one response. The last request is sent with END_STREAM, so the sequence
    /// must yield at least one element (the protocol has no empty request stream).
    public func clientStreaming<Req: SwiftProtobuf.Message, Resp: SwiftProtobuf.Message, Requests: AsyncSequence>(
        _ method: String, _ requests: Requests, as: Resp.Type,
        metadata: [String: String] = [:], timeout: Duration? = nil
    ) async throws -> Resp where Requests.Element == Req {
        let header = Self.header(method, metadata, timeout)
        let call = ClientCall()
        let core = self.core
        let bytes = try await withTaskCancellationHandler {
            var iterator = requests.makeAsyncIterator()
            guard var current = try await iterator.next() else {
                throw RPCError(.invalidArgument, "a client-streaming call needs at least one request message")
            }
            var next = try await iterator.next()
            let first = try Self.encode(current)
            let onlyOne = next == nil
            core.queue.async {
                core.start(call, header: header, message: first, end: onlyOne, timeout: timeout)
            }
            while let following = next {
                current = following
                next = try await iterator.next()
                do {
                    try await core.send(call, payload: try Self.encode(current), end: next == nil)
                } catch {
                    break  // the call has ended: its result says why
                }
            }
            return try await core.result(of: call)
        } onCancel: {
            core.queue.async { core.cancel(call, with: CancellationError()) }
        }
        return try Self.decode(Resp.self, bytes)
    }

    /// Closes the connection: open calls end with CANCELLED; calls made afterwards fail with UNAVAILABLE.
    public func close() async {
        let core = self.core
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            core.queue.async {
                core.close()
                continuation.resume()
            }
        }
    }

    // MARK: - Helpers

    static func header(_ method: String, _ metadata: [String: String], _ timeout: Duration?) -> Tally_Wire_V1_CallHeader {
        var header = Tally_Wire_V1_CallHeader()
        header.method = method
        header.metadata = metadata
        if let timeout {
            header.timeoutMs = UInt32(clamping: max(timeout.milliseconds, 1))
        }
        return header
    }

    static func encode<M: SwiftProtobuf.Message>(_ message: M) throws -> [UInt8] {
        do {
            return try message.serializedBytes()
        } catch {
            throw RPCError(.invalidArgument, "cannot encode request as \(M.protoMessageName)", cause: error)
        }
    }

    static func decode<M: SwiftProtobuf.Message>(_ type: M.Type, _ bytes: [UInt8]?) throws -> M {
        guard let bytes else { throw RPCError(.internalError, "the server sent no response message") }
        do {
            return try M(serializedBytes: bytes)
        } catch {
            throw RPCError(.internalError, "cannot decode response as \(M.protoMessageName)", cause: error)
        }
    }
}
