import SwiftProtobuf
import TallyWire

/// The rules both ends apply to what the other sends before and beside calls: the preface, HELLO
/// first and only once (on stream 0, in our protocol version), and well-formed PINGs. The client
/// and server state machines share this, so the two sides cannot drift apart on them.
struct PeerHandshake {
    /// "client" or "server": this end, as the version mismatch message names it.
    let localSide: String
    /// Whether the peer's HELLO arrived.
    private(set) var sawHello = false
    /// The limits the peer announced (defaults until its HELLO arrives).
    private(set) var peerLimits = ConnectionLimits()

    enum PrefaceCheck {
        /// Fewer bytes than a preface so far.
        case incomplete
        case matched
        /// Not our protocol.
        case mismatched
    }

    /// Takes the peer's preface from the front of the input.
    static func takePreface(from decoder: inout FrameDecoder) -> PrefaceCheck {
        guard let preface = decoder.takeBytes(Preface.count) else { return .incomplete }
        return preface == Preface.bytes ? .matched : .mismatched
    }

    /// Refuses every frame that comes before the peer's HELLO.
    func admit(_ frame: Frame) -> ConnectionError? {
        guard sawHello || frame.type == .hello else {
            return .violation("first frame must be HELLO, got \(frame.type)")
        }
        return nil
    }

    /// Takes the peer's HELLO: on stream 0, once, in our protocol version; keeps its limits.
    mutating func receiveHello(_ frame: Frame) -> ConnectionError? {
        guard frame.stream == 0 else { return .violation("HELLO on stream \(frame.stream)") }
        guard !sawHello else { return .violation("second HELLO") }
        guard let hello = try? Tally_Wire_V1_Hello(serializedBytes: frame.payload) else {
            return ConnectionError(.undecodablePayload(.hello))
        }
        guard hello.protocolVersion == Preface.protocolVersion else {
            return ConnectionError(
                .failedPrecondition,
                "unsupported protocol version \(hello.protocolVersion) (\(localSide) speaks \(Preface.protocolVersion))")
        }
        sawHello = true
        peerLimits = ConnectionLimits(hello: hello)
        return nil
    }

    /// Checks a PING: on stream 0 with an 8-byte payload.
    static func checkPing(_ frame: Frame) -> ConnectionError? {
        guard frame.stream == 0 else { return .violation("PING on stream \(frame.stream)") }
        guard frame.payload.count == 8 else {
            return .violation("PING payload of \(frame.payload.count) bytes (must be 8)")
        }
        return nil
    }
}

/// A connection state machine that decodes frames from its input and handles them one at a time,
/// the peer's HELLO by the shared ``PeerHandshake`` rules and every other frame by itself.
protocol FrameHandling {
    associatedtype Action
    var decoder: FrameDecoder { get set }
    var handshake: PeerHandshake { get set }
    var isClosed: Bool { get }
    /// The peer's HELLO was accepted.
    mutating func helloReceived(into actions: inout [Action])
    /// Applies one frame after the HELLO (never a HELLO); an error is a broken rule that ends the connection.
    mutating func handle(_ frame: Frame, into actions: inout [Action]) -> ConnectionError?
}

extension FrameHandling {
    /// Handles every complete frame in the input until it runs out or the connection closes.
    /// Returns the first error (a malformed frame or a broken rule); nothing after it is read.
    mutating func handleBufferedFrames(into actions: inout [Action]) -> ConnectionError? {
        while !isClosed {
            let frame: Frame?
            do {
                frame = try decoder.next()
            } catch {
                return ConnectionError(error)
            }
            guard let frame else { return nil }
            if let error = handshake.admit(frame) { return error }
            if frame.type == .hello {
                if let error = handshake.receiveHello(frame) { return error }
                helloReceived(into: &actions)
            } else if let error = handle(frame, into: &actions) {
                return error
            }
        }
        return nil
    }
}
