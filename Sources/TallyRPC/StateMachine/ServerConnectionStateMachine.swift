import SwiftProtobuf
import TallyWire

/// The server side of one connection as a pure state machine: events in, actions out, no I/O.
///
/// Bytes to send accumulate in ``output``; the I/O layer writes them after each event (so all frames
/// produced in one turn leave in one write). Every protocol rule of the server side is enforced here:
/// preface, HELLO first, stream id rules, limits, GOAWAY codes and messages, graceful shutdown.
struct ServerConnectionStateMachine: FrameHandling {
    enum State: Hashable {
        case awaitingPreface
        case awaitingHello
        case active
        /// GOAWAY sent for a graceful shutdown: open calls may finish, new ones are refused.
        case draining
        /// Closing after an error or once drained: input is ignored, output is flushed, then close.
        case closed
    }

    /// Why a call's handler must stop.
    enum CancelReason: Hashable, Sendable {
        case cancelledByPeer
        case deadlineExceeded
        case connectionClosed
        case shuttingDown
        case responseTooLarge
    }

    enum Action: Hashable {
        /// A new call: look up the method and start its handler.
        case startCall(stream: UInt32, header: Tally_Wire_V1_CallHeader)
        /// A request message for an open call; `end` when the client sends no more.
        case deliverMessage(stream: UInt32, payload: [UInt8], end: Bool)
        /// Cancel the call's handler (its STATUS, if any, is already in ``output``).
        case cancelCall(stream: UInt32, reason: CancelReason)
        /// Write what is in ``output``, then close the connection.
        case close
    }

    private(set) var state: State = .awaitingPreface
    /// Encoded frames waiting to be written.
    var output: [UInt8] = []

    let limits: ConnectionLimits
    let peerName: String
    /// When set, the connection is over the server's connection limit (the value): it is refused after the handshake.
    let connectionLimit: Int?
    /// The peer's preface and HELLO (``FrameHandling`` reads and advances it; nothing else does).
    var handshake = PeerHandshake(localSide: "server")
    /// The limits the client announced in its HELLO.
    var peerLimits: ConnectionLimits { handshake.peerLimits }

    /// Input not yet handled (advanced by ``FrameHandling/handleBufferedFrames(into:)``).
    var decoder: FrameDecoder
    /// Highest stream id seen in a CALL (ids must increase).
    private(set) var lastStreamID: UInt32 = 0
    /// Highest stream id accepted as a call (reported in GOAWAY).
    private(set) var lastAcceptedStreamID: UInt32 = 0
    /// Open calls; the value says whether the client has ended its request stream.
    private var openStreams: [UInt32: Bool] = [:]

    init(limits: ConnectionLimits, peerName: String, connectionLimit: Int? = nil) {
        self.limits = limits
        self.peerName = peerName
        self.connectionLimit = connectionLimit
        self.decoder = FrameDecoder(maxFrameSize: limits.maxFrameSize)
        output.reserveCapacity(4096)
    }

    var openCallCount: Int { openStreams.count }
    var isClosed: Bool { state == .closed }
    func isOpen(_ stream: UInt32) -> Bool { openStreams[stream] != nil }

    // MARK: - Input

    /// Bytes read from the socket.
    mutating func bytesReceived(_ bytes: UnsafeRawBufferPointer) -> [Action] {
        if state == .closed { return [] }  // closing: input is discarded
        decoder.append(bytes)
        var actions: [Action] = []
        if state == .awaitingPreface {
            switch PeerHandshake.takePreface(from: &decoder) {
            case .incomplete: return []
            case .mismatched:
                state = .closed
                return [.close]  // not our protocol: close without answering
            case .matched: break
            }
            output.append(contentsOf: Preface.bytes)
            output.appendFrame(.hello, stream: 0, message: limits.hello(peerName: peerName))
            if let connectionLimit {
                return fail(ConnectionError(.resourceExhausted, "too many connections (limit \(connectionLimit))"))
            }
            state = .awaitingHello
        }
        if let error = handleBufferedFrames(into: &actions) {
            return actions + fail(error)
        }
        return actions
    }

    mutating func helloReceived(into actions: inout [Action]) {
        if state == .awaitingHello { state = .active }
    }

    mutating func handle(_ frame: Frame, into actions: inout [Action]) -> ConnectionError? {
        switch frame.type {
        case .call:
            return handleCall(frame, into: &actions)
        case .message:
            guard let ended = openStreams[frame.stream], !ended else { return nil }  // not open: ignored
            let end = frame.flags.contains(.endStream)
            if end { openStreams[frame.stream] = true }
            actions.append(.deliverMessage(stream: frame.stream, payload: frame.payload, end: end))
        case .cancel:
            guard openStreams.removeValue(forKey: frame.stream) != nil else { return nil }  // not open: ignored
            actions.append(.cancelCall(stream: frame.stream, reason: .cancelledByPeer))
            closeIfDrained(into: &actions)
        case .ping:
            if let error = PeerHandshake.checkPing(frame) { return error }
            if !frame.flags.contains(.ack) {
                output.appendFrame(.ping, flags: .ack, stream: 0, payload: frame.payload)
            }
        case .goAway:
            guard frame.stream == 0 else { return .violation("GOAWAY on stream \(frame.stream)") }
        case .status:
            return .violation("STATUS sent by a client")
        default:
            break  // unknown frame types are ignored
        }
        return nil
    }

    private mutating func handleCall(_ frame: Frame, into actions: inout [Action]) -> ConnectionError? {
        guard frame.stream != 0 else { return .violation("CALL on stream 0") }
        guard frame.stream > lastStreamID else {
            return .violation("stream id \(frame.stream) is not greater than \(lastStreamID)")
        }
        guard let header = try? Tally_Wire_V1_CallHeader(serializedBytes: frame.payload) else {
            return ConnectionError(.undecodablePayload(.call))
        }
        lastStreamID = frame.stream
        if state == .draining {
            output.appendStatus(
                stream: frame.stream, code: .unavailable, message: "server shutting down", limit: peerLimits.maxFrameSize)
            return nil
        }
        guard openStreams.count < limits.maxConcurrentCalls else {
            output.appendStatus(
                stream: frame.stream, code: .resourceExhausted,
                message: "too many concurrent calls (limit \(limits.maxConcurrentCalls))", limit: peerLimits.maxFrameSize)
            return nil
        }
        lastAcceptedStreamID = frame.stream
        openStreams[frame.stream] = false
        actions.append(.startCall(stream: frame.stream, header: header))
        return nil
    }

    // MARK: - Handler output

    enum SendResult: Hashable {
        case sent
        /// The call is no longer open (cancelled, finished, connection closed): the handler should stop.
        case callNotOpen
        /// The message exceeds the client's frame limit: the call ended with RESOURCE_EXHAUSTED.
        case tooLarge([Action])
    }

    /// A response message from a handler (server-streaming, or the single response of a unary call).
    mutating func sendMessage(stream: UInt32, payload: [UInt8]) -> SendResult {
        guard openStreams[stream] != nil else { return .callNotOpen }
        guard payload.count <= peerLimits.maxFrameSize else {
            openStreams.removeValue(forKey: stream)
            output.appendStatus(
                stream: stream, code: .resourceExhausted,
                message: "response message of \(payload.count) bytes exceeds the client's limit of \(peerLimits.maxFrameSize) bytes",
                limit: peerLimits.maxFrameSize)
            var actions: [Action] = [.cancelCall(stream: stream, reason: .responseTooLarge)]
            closeIfDrained(into: &actions)
            return .tooLarge(actions)
        }
        output.appendFrame(.message, stream: stream, payload: payload)
        return .sent
    }

    /// Ends a call: an optional last response message, then STATUS. Ignored when the call is not open.
    mutating func finishCall(
        stream: UInt32, response: [UInt8]?, code: StatusCode, message: String, metadata: [String: String] = [:]
    ) -> [Action] {
        if let response {
            switch sendMessage(stream: stream, payload: response) {
            case .sent: break
            case .callNotOpen: return []
            case .tooLarge(let actions): return actions
            }
        }
        guard openStreams.removeValue(forKey: stream) != nil else { return [] }
        output.appendStatus(
            stream: stream, code: code, message: message, metadata: metadata, limit: peerLimits.maxFrameSize)
        var actions: [Action] = []
        closeIfDrained(into: &actions)
        return actions
    }

    // MARK: - Timers and lifecycle

    /// The call's deadline (timeout_ms) passed.
    mutating func deadlineFired(stream: UInt32) -> [Action] {
        guard openStreams.removeValue(forKey: stream) != nil else { return [] }
        output.appendStatus(
            stream: stream, code: .deadlineExceeded, message: "deadline exceeded", limit: peerLimits.maxFrameSize)
        var actions: [Action] = [.cancelCall(stream: stream, reason: .deadlineExceeded)]
        closeIfDrained(into: &actions)
        return actions
    }

    /// The handshake did not complete in time.
    mutating func handshakeTimerFired() -> [Action] {
        switch state {
        case .awaitingPreface:
            state = .closed
            return [.close]
        case .awaitingHello:
            return fail(ConnectionError(.deadlineExceeded, "handshake timeout"))
        case .active, .draining, .closed:
            return []
        }
    }

    /// The connection had no open call for the idle timeout.
    mutating func idleTimerFired() -> [Action] {
        guard state == .active, openStreams.isEmpty else { return [] }
        output.appendGoAway(
            lastStreamID: lastAcceptedStreamID, code: .ok, message: "idle timeout", limit: peerLimits.maxFrameSize)
        state = .closed
        return [.close]
    }

    /// The server is shutting down gracefully.
    mutating func shutdownRequested() -> [Action] {
        switch state {
        case .awaitingPreface, .awaitingHello:
            state = .closed
            return [.close]
        case .active:
            output.appendGoAway(
                lastStreamID: lastAcceptedStreamID, code: .ok, message: "server shutting down",
                limit: peerLimits.maxFrameSize)
            state = .draining
            var actions: [Action] = []
            closeIfDrained(into: &actions)
            return actions
        case .draining, .closed:
            return []
        }
    }

    /// The shutdown grace period is over: calls still running end with UNAVAILABLE.
    mutating func gracePeriodExpired() -> [Action] {
        guard state == .draining || state == .active else { return [] }
        var actions: [Action] = []
        for stream in openStreams.keys.sorted() {
            output.appendStatus(
                stream: stream, code: .unavailable, message: "server shutting down", limit: peerLimits.maxFrameSize)
            actions.append(.cancelCall(stream: stream, reason: .shuttingDown))
        }
        openStreams.removeAll()
        state = .closed
        actions.append(.close)
        return actions
    }

    /// The client closed the connection or it broke: every handler is cancelled.
    mutating func peerClosed() -> [Action] {
        var actions: [Action] = []
        for stream in openStreams.keys.sorted() {
            actions.append(.cancelCall(stream: stream, reason: .connectionClosed))
        }
        openStreams.removeAll()
        if state != .closed {
            state = .closed
            actions.append(.close)
        }
        return actions
    }

    private mutating func fail(_ error: ConnectionError) -> [Action] {
        output.appendGoAway(
            lastStreamID: lastAcceptedStreamID, code: error.code, message: error.message, limit: peerLimits.maxFrameSize)
        var actions: [Action] = []
        for stream in openStreams.keys.sorted() {
            actions.append(.cancelCall(stream: stream, reason: .connectionClosed))
        }
        openStreams.removeAll()
        state = .closed
        actions.append(.close)
        return actions
    }

    private mutating func closeIfDrained(into actions: inout [Action]) {
        if state == .draining && openStreams.isEmpty {
            state = .closed
            actions.append(.close)
        }
    }
}
