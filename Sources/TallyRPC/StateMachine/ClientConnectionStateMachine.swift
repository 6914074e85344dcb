import SwiftProtobuf
import TallyWire

/// The client side of one connection as a pure state machine: events in, actions out, no I/O.
///
/// The preface and HELLO are queued in ``output`` at creation, so calls may be started (and their
/// frames queued behind the handshake) before the socket is even connected.
struct ClientConnectionStateMachine: FrameHandling {
    enum State: Hashable {
        case awaitingPreface
        case awaitingHello
        case active
        /// The server sent GOAWAY: calls it accepted may finish, no new call may start here.
        case goingAway
        case closed
    }

    enum Action: Hashable {
        /// The server completed its handshake (preface + HELLO).
        case handshakeCompleted
        /// A response message for an open call.
        case deliverMessage(stream: UInt32, payload: [UInt8])
        /// The call ended: `status.code == .ok` for success, anything else is the call's error.
        case finishCall(stream: UInt32, status: RPCError)
        /// The server answered our keepalive PING.
        case pingAcknowledged
        /// Write what is in ``output``, then close the connection.
        case close
    }

    private(set) var state: State = .awaitingPreface
    /// Encoded frames waiting to be written.
    var output: [UInt8] = []

    let limits: ConnectionLimits
    /// The peer's preface and HELLO (``FrameHandling`` reads and advances it; nothing else does).
    var handshake = PeerHandshake(localSide: "client")
    /// The limits the server announced (defaults until its HELLO arrives).
    var peerLimits: ConnectionLimits { handshake.peerLimits }
    /// Input not yet handled (advanced by ``FrameHandling/handleBufferedFrames(into:)``).
    var decoder: FrameDecoder
    private var nextStreamID: UInt32 = 1
    private var openStreams: Set<UInt32> = []

    init(limits: ConnectionLimits, peerName: String) {
        self.limits = limits
        self.decoder = FrameDecoder(maxFrameSize: limits.maxFrameSize)
        output.reserveCapacity(4096)
        output.append(contentsOf: Preface.bytes)
        output.appendFrame(.hello, stream: 0, message: limits.hello(peerName: peerName))
    }

    var openCallCount: Int { openStreams.count }
    var isClosed: Bool { state == .closed }
    func isOpen(_ stream: UInt32) -> Bool { openStreams.contains(stream) }
    /// Whether a new call may be started on this connection.
    var canStartCalls: Bool {
        state != .goingAway && state != .closed && nextStreamID < UInt32.max
    }

    // MARK: - Calls

    /// Opens a call: queues CALL and, if given, its first request message.
    mutating func startCall(
        header: Tally_Wire_V1_CallHeader, message: [UInt8]?, end: Bool
    ) -> Result<UInt32, RPCError> {
        guard canStartCalls else {
            return .failure(RPCError(.unavailable, "connection is closing"))
        }
        if let message, message.count > peerLimits.maxFrameSize {
            return .failure(tooLarge(message.count))
        }
        // Serializing our own well-formed header cannot fail; an empty payload is the fallback.
        let headerBytes: [UInt8] = (try? header.serializedBytes()) ?? []
        guard headerBytes.count <= peerLimits.maxFrameSize else {
            return .failure(RPCError(
                .resourceExhausted,
                "call header of \(headerBytes.count) bytes (method and metadata) exceeds the server's limit of "
                    + "\(peerLimits.maxFrameSize) bytes"))
        }
        let stream = nextStreamID
        nextStreamID += 1
        openStreams.insert(stream)
        output.appendFrame(.call, stream: stream, payload: headerBytes)
        if let message {
            output.appendFrame(.message, flags: end ? .endStream : [], stream: stream, payload: message)
        }
        return .success(stream)
    }

    /// Queues a request message of an open call (client-streaming).
    mutating func sendMessage(stream: UInt32, payload: [UInt8], end: Bool) -> RPCError? {
        guard openStreams.contains(stream), state != .closed else {
            return RPCError(.cancelled, "call is no longer open")
        }
        guard payload.count <= peerLimits.maxFrameSize else { return tooLarge(payload.count) }
        output.appendFrame(.message, flags: end ? .endStream : [], stream: stream, payload: payload)
        return nil
    }

    /// Abandons a call: queues CANCEL if it is still open.
    mutating func cancelCall(stream: UInt32) -> [Action] {
        guard openStreams.remove(stream) != nil else { return [] }
        if state != .closed { output.appendFrame(.cancel, stream: stream) }
        return closeIfDrained()
    }

    /// Queues a keepalive PING.
    mutating func sendPing(payload: [UInt8]) {
        guard state != .closed else { return }
        output.appendFrame(.ping, stream: 0, payload: payload)
    }

    private func tooLarge(_ count: Int) -> RPCError {
        RPCError(
            .resourceExhausted,
            "request message of \(count) bytes exceeds the server's limit of \(peerLimits.maxFrameSize) bytes")
    }

    // MARK: - Input

    /// Bytes read from the socket.
    mutating func bytesReceived(_ bytes: UnsafeRawBufferPointer) -> [Action] {
        if state == .closed { return [] }
        decoder.append(bytes)
        var actions: [Action] = []
        if state == .awaitingPreface {
            switch PeerHandshake.takePreface(from: &decoder) {
            case .incomplete: return []
            case .mismatched: return fail(ConnectionError(.badPreface), sendGoAway: false)
            case .matched: state = .awaitingHello
            }
        }
        if let error = handleBufferedFrames(into: &actions) {
            return actions + fail(error, sendGoAway: true)
        }
        return actions
    }

    mutating func helloReceived(into actions: inout [Action]) {
        if state == .awaitingHello { state = .active }
        actions.append(.handshakeCompleted)
    }

    mutating func handle(_ frame: Frame, into actions: inout [Action]) -> ConnectionError? {
        switch frame.type {
        case .message:
            guard openStreams.contains(frame.stream) else { return nil }  // not open: ignored
            actions.append(.deliverMessage(stream: frame.stream, payload: frame.payload))
        case .status:
            guard openStreams.contains(frame.stream) else { return nil }
            guard let status = try? Tally_Wire_V1_Status(serializedBytes: frame.payload) else {
                return ConnectionError(.undecodablePayload(.status))
            }
            openStreams.remove(frame.stream)
            let error = RPCError(StatusCode(rawValue: status.code), status.message, metadata: status.metadata)
            actions.append(.finishCall(stream: frame.stream, status: error))
            actions += closeIfDrained()
        case .ping:
            if let error = PeerHandshake.checkPing(frame) { return error }
            if frame.flags.contains(.ack) {
                actions.append(.pingAcknowledged)
            } else {
                output.appendFrame(.ping, flags: .ack, stream: 0, payload: frame.payload)
            }
        case .goAway:
            guard frame.stream == 0 else { return .violation("GOAWAY on stream \(frame.stream)") }
            guard let goAway = try? Tally_Wire_V1_GoAway(serializedBytes: frame.payload) else {
                return ConnectionError(.undecodablePayload(.goAway))
            }
            handleGoAway(goAway, into: &actions)
        case .call, .cancel:
            return .violation("\(frame.type) sent by a server")
        default:
            break  // unknown frame types are ignored
        }
        return nil
    }

    private mutating func handleGoAway(_ goAway: Tally_Wire_V1_GoAway, into actions: inout [Action]) {
        let code = StatusCode(rawValue: goAway.code)
        let message = goAway.message.isEmpty ? "server is going away" : goAway.message
        for stream in openStreams.sorted() where code != .ok || stream > goAway.lastStreamID {
            openStreams.remove(stream)
            let status =
                code == .ok
                ? RPCError(.unavailable, "\(message); call not processed, retry on a new connection")
                : RPCError(code, message)
            actions.append(.finishCall(stream: stream, status: status))
        }
        if state != .closed { state = .goingAway }
        actions += closeIfDrained()
    }

    // MARK: - Lifecycle

    /// The connection broke, was refused, or the keepalive found it dead: every open call fails
    /// (with `cause`, the I/O or protocol error, kept for logs).
    mutating func connectionLost(_ message: String, cause: (any Error)? = nil) -> [Action] {
        var actions: [Action] = []
        for stream in openStreams.sorted() {
            actions.append(.finishCall(stream: stream, status: RPCError(.unavailable, message, cause: cause)))
        }
        openStreams.removeAll()
        if state != .closed {
            state = .closed
            actions.append(.close)
        }
        return actions
    }

    /// The client is closing: open calls end with CANCELLED and a GOAWAY tells the server.
    mutating func closeRequested() -> [Action] {
        guard state != .closed else { return [] }
        var actions: [Action] = []
        for stream in openStreams.sorted() {
            actions.append(.finishCall(stream: stream, status: RPCError(.cancelled, "client closed")))
        }
        openStreams.removeAll()
        output.appendGoAway(lastStreamID: 0, code: .ok, message: "client closing", limit: peerLimits.maxFrameSize)
        state = .closed
        actions.append(.close)
        return actions
    }

    private mutating func fail(_ error: ConnectionError, sendGoAway: Bool) -> [Action] {
        if sendGoAway {
            output.appendGoAway(
                lastStreamID: 0, code: error.code, message: error.message, limit: peerLimits.maxFrameSize)
        }
        return connectionLost("connection failed: \(error.message)", cause: error)
    }

    private mutating func closeIfDrained() -> [Action] {
        if state == .goingAway && openStreams.isEmpty {
            state = .closed
            return [.close]
        }
        return []
    }
}
