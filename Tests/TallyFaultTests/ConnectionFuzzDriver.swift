// The libFuzzer target (fuzz/Sources/FrameDecoderFuzzer/ConnectionFuzz.swift is a symlink to this
// file) and plain `swift test` (which replays the corpus) compile this one file.
import SwiftProtobuf
@testable import TallyRPC
import TallyWire

/// Drives TallyRPC's server and client connection state machines with one fuzz input, the way the
/// Dispatch I/O layer would, and checks their invariants (trapping on a violation):
/// - after `.close` the machine is closed and ignores input; nothing but `.close` ends it;
/// - calls start with strictly increasing stream ids, never more open than the limit;
/// - messages and cancels are only for calls that were started and not yet ended;
/// - everything written decodes as well-formed frames; after a GOAWAY only the ends of open calls
///   (after a graceful one) or nothing (after an error);
/// - buffered output stays bounded (it is flushed after each event, as the I/O layer does);
/// - no frame but HELLO and PING exceeds the max_frame_size the peer announced (when it announced
///   at least the 256 bytes SPEC §4 asks for), STATUS and GOAWAY with long messages included.
///
/// Input layout: byte 0 selects options (bit 0: prepend a valid preface; bit 1: also a valid HELLO;
/// bit 2: that HELLO announces max_frame_size 256);
/// then chunks, each `[control][length][bytes...]`: the bytes go to `bytesReceived`, and `control`
/// picks a timer or handler event to fire after them.
enum ConnectionFuzz {
    static let limits = ConnectionLimits(maxFrameSize: 1024, maxConcurrentCalls: 4)

    static func run(_ input: [UInt8]) {
        guard let options = input.first else { return }
        var prefix: [UInt8] = []
        if options & 1 != 0 { prefix += Preface.bytes }
        if options & 2 != 0 {
            var hello = Tally_Wire_V1_Hello()
            hello.protocolVersion = 1
            if options & 4 != 0 { hello.maxFrameSize = 256 }
            prefix += FrameEncoder.encode(Frame(type: .hello, stream: 0, payload: (try? hello.serializedBytes()) ?? []))
        }
        server(prefix, input.dropFirst())
        client(input.dropFirst())
    }

    private static func chunks(_ body: ArraySlice<UInt8>) -> [(control: UInt8, bytes: [UInt8])] {
        var out: [(UInt8, [UInt8])] = []
        var rest = body
        while let control = rest.first {
            rest = rest.dropFirst()
            let length = Int(rest.first ?? 0)
            rest = rest.dropFirst()
            let bytes = Array(rest.prefix(length))
            rest = rest.dropFirst(bytes.count)
            out.append((control, bytes))
        }
        return out
    }

    // MARK: - Server side

    static func server(_ prefix: [UInt8], _ body: ArraySlice<UInt8>) {
        var machine = ServerConnectionStateMachine(limits: limits, peerName: "fuzz")
        var checker = OutputChecker(skipPreface: true)
        var open: [UInt32] = []
        var lastStarted: UInt32 = 0
        var closed = false

        func apply(_ actions: [ServerConnectionStateMachine.Action]) {
            for action in actions {
                precondition(!closed, "action \(action) after close")
                switch action {
                case .startCall(let stream, _):
                    precondition(stream > lastStarted, "stream ids must increase")
                    lastStarted = stream
                    open.append(stream)
                    precondition(open.count <= limits.maxConcurrentCalls, "more calls than the limit")
                case .deliverMessage(let stream, let payload, _):
                    precondition(open.contains(stream), "message for a call not open")
                    precondition(payload.count <= limits.maxFrameSize)
                case .cancelCall(let stream, _):
                    open.removeAll { $0 == stream }
                case .close:
                    closed = true
                    precondition(machine.isClosed, "close while not closed")
                }
            }
            checker.consume(&machine.output, closed: machine.isClosed, peerLimit: machine.peerLimits.maxFrameSize)
        }

        var bytes = prefix
        bytes.withUnsafeBytes { apply(machine.bytesReceived($0)) }
        for (control, chunk) in chunks(body) {
            bytes = chunk
            let wasClosed = machine.isClosed
            bytes.withUnsafeBytes {
                let actions = machine.bytesReceived($0)
                if wasClosed { precondition(actions.isEmpty, "closed machine acted on input") }
                apply(actions)
            }
            let target = open.isEmpty ? UInt32(control) : open[Int(control) % open.count]
            switch control & 0x0F {
            case 0: apply(machine.deadlineFired(stream: target))
            case 1: apply(machine.handshakeTimerFired())
            case 2: apply(machine.idleTimerFired())
            case 3: apply(machine.shutdownRequested())
            case 4: apply(machine.gracePeriodExpired())
            case 5:
                if case .tooLarge(let actions) = machine.sendMessage(stream: target, payload: Array(chunk.prefix(64))) {
                    open.removeAll { $0 == target }
                    apply(actions)
                } else {
                    checker.consume(&machine.output, closed: machine.isClosed, peerLimit: machine.peerLimits.maxFrameSize)
                }
            case 6:
                let before = machine.isOpen(target)
                // Odd codes echo a long "input" (up to 6 KB of three-byte characters), as a NOT_FOUND might.
                let message = control & 0x10 != 0 ? String(repeating: "界", count: chunk.count * 8) : "fuzz"
                let actions = machine.finishCall(stream: target, response: chunk.isEmpty ? nil : chunk,
                                                 code: StatusCode(rawValue: Int32(control >> 4)), message: message)
                if before { open.removeAll { $0 == target } }
                apply(actions)
            case 7:
                apply(machine.peerClosed())
                open.removeAll()
            default: break
            }
        }
        apply(machine.peerClosed())
    }

    // MARK: - Client side

    static func client(_ body: ArraySlice<UInt8>) {
        var machine = ClientConnectionStateMachine(limits: limits, peerName: "fuzz")
        machine.output.removeAll()
        var open: [UInt32] = []
        var closed = false
        func apply(_ actions: [ClientConnectionStateMachine.Action]) {
            for action in actions {
                precondition(!closed, "action \(action) after close")
                switch action {
                case .handshakeCompleted, .pingAcknowledged: break
                case .deliverMessage(let stream, _):
                    precondition(open.contains(stream), "message for a call not open")
                case .finishCall(let stream, _):
                    precondition(open.contains(stream), "finish for a call not open")
                    open.removeAll { $0 == stream }
                case .close:
                    closed = true
                }
            }
            precondition(machine.output.count < 1 << 16, "client output grows without bound")
            machine.output.removeAll(keepingCapacity: true)
        }
        var bytes: [UInt8] = []
        for (control, chunk) in chunks(body) {
            switch control & 0x07 {
            case 0:
                if case .success(let stream) = machine.startCall(header: Tally_Wire_V1_CallHeader(), message: [1], end: true) {
                    open.append(stream)
                }
            case 1: if let stream = open.first { apply(machine.cancelCall(stream: stream)); open.removeAll { $0 == stream } }
            case 2: machine.sendPing(payload: Array(repeating: control, count: 8))
            case 3: apply(machine.connectionLost("fuzz")); open.removeAll()
            default: break
            }
            bytes = chunk
            bytes.withUnsafeBytes { apply(machine.bytesReceived($0)) }
        }
    }
}

/// Checks what a machine writes: well-formed frames, only the ends of open calls after a graceful
/// GOAWAY and nothing after an error GOAWAY, bounded per event.
struct OutputChecker {
    private var decoder = FrameDecoder(maxFrameSize: 1 << 20)
    private var needPreface: Bool
    private var goAwayCode: Int32?

    init(skipPreface: Bool) { needPreface = skipPreface }

    mutating func consume(_ output: inout [UInt8], closed: Bool, peerLimit: Int? = nil) {
        precondition(output.count < 1 << 16, "output grows without bound: \(output.count) bytes")
        decoder.append(output)
        output.removeAll(keepingCapacity: true)
        if needPreface {
            guard let preface = decoder.takeBytes(Preface.count) else { return }
            precondition(preface == Preface.bytes, "server wrote a bad preface")
            needPreface = false
        }
        do {
            while let frame = try decoder.next() {
                // After a graceful GOAWAY (code 0) calls still open may finish (MESSAGE, STATUS), pings
                // are answered, and a later error may still end the connection with a second GOAWAY;
                // after an error GOAWAY nothing may follow.
                if let code = goAwayCode {
                    precondition(code == 0 && [.message, .status, .ping, .goAway].contains(frame.type),
                                 "frame \(frame.type) written after GOAWAY with code \(code)")
                }
                if let peerLimit, peerLimit >= 256, frame.type != .hello, frame.type != .ping {
                    precondition(frame.payload.count <= peerLimit,
                                 "\(frame.type) frame of \(frame.payload.count) bytes exceeds the peer's limit of \(peerLimit)")
                }
                if frame.type == .goAway {
                    goAwayCode = (try? Tally_Wire_V1_GoAway(serializedBytes: frame.payload))?.code ?? -1
                }
            }
        } catch {
            preconditionFailure("the machine wrote a malformed frame: \(error)")
        }
    }
}
