import XCTest
@testable import TallyRPC
import TallyWire

final class ServerStateMachineTests: XCTestCase {
    typealias Machine = ServerConnectionStateMachine

    func machine(maxFrameSize: Int = 1 << 20, maxCalls: Int = 100, connectionLimit: Int? = nil) -> Machine {
        Machine(
            limits: ConnectionLimits(maxFrameSize: maxFrameSize, maxConcurrentCalls: maxCalls),
            peerName: "server", connectionLimit: connectionLimit)
    }

    /// A machine past the handshake, its output cleared.
    func active(maxFrameSize: Int = 1 << 20, maxCalls: Int = 100) -> Machine {
        var m = machine(maxFrameSize: maxFrameSize, maxCalls: maxCalls)
        XCTAssertEqual(m.feed(Wire.clientHandshake), [])
        XCTAssertEqual(m.state, .active)
        m.output.removeAll()
        return m
    }

    func assertGoAway(
        _ m: inout Machine, _ actions: [Machine.Action], _ code: StatusCode, _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(actions.last, .close, file: file, line: line)
        let goAway = Output(&m.output).goAway(file: file, line: line)
        XCTAssertEqual(goAway?.code, code.rawValue, file: file, line: line)
        XCTAssertEqual(goAway?.message, message, file: file, line: line)
        XCTAssertTrue(m.isClosed, file: file, line: line)
    }

    func testBadPrefaceClosesWithoutAnswer() {
        var m = machine()
        XCTAssertEqual(m.feed(Array("GET / HTTP/1.1\r\n".utf8)), [.close])
        XCTAssertTrue(m.output.isEmpty)
        XCTAssertEqual(m.feed(Wire.hello()), [])  // input after close is ignored
    }

    func testPrefaceIsAnsweredWithPrefaceAndHello() throws {
        var m = machine(maxFrameSize: 4096, maxCalls: 7)
        XCTAssertEqual(m.feed(Array(Preface.bytes.prefix(5))), [])
        XCTAssertTrue(m.output.isEmpty)
        XCTAssertEqual(m.feed(Array(Preface.bytes.dropFirst(5))), [])
        let out = Output(&m.output)
        XCTAssertTrue(out.preface)
        XCTAssertEqual(out.types, [.hello])
        let hello = try Tally_Wire_V1_Hello(serializedBytes: out.frames[0].payload)
        XCTAssertEqual(hello.protocolVersion, 1)
        XCTAssertEqual(hello.maxFrameSize, 4096)
        XCTAssertEqual(hello.maxConcurrentCalls, 7)
        XCTAssertEqual(m.state, .awaitingHello)
    }

    func testByteByByteHandshakeAndCall() {
        var m = machine()
        var actions: [Machine.Action] = []
        for byte in Wire.clientHandshake + Wire.call(1) + Wire.message(1) { actions += m.feed([byte]) }
        XCTAssertEqual(actions.count, 2)
        guard case .startCall(1, let header) = actions.first else { return XCTFail("\(actions)") }
        XCTAssertEqual(header.method, "/t.S/M")
        XCTAssertEqual(actions.last, .deliverMessage(stream: 1, payload: [1, 2], end: true))
    }

    func testFirstFrameMustBeHello() {
        var m = machine()
        _ = m.feed(Preface.bytes)
        m.output.removeAll()
        let actions = m.feed(Wire.call(1))
        assertGoAway(&m, actions, .invalidArgument, "protocol violation: first frame must be HELLO, got CALL")
    }

    func testSecondHelloIsViolation() {
        var m = active()
        assertGoAway(&m, m.feed(Wire.hello()), .invalidArgument, "protocol violation: second HELLO")
    }

    func testUndecodableHello() {
        var m = machine()
        let actions = m.feed(Preface.bytes + Wire.frame(.hello, payload: [0xFF, 0xFF, 0xFF]))
        assertGoAway(&m, actions, .invalidArgument, "undecodable HELLO payload")
    }

    func testUnsupportedVersion() {
        var m = machine()
        let actions = m.feed(Preface.bytes + Wire.hello(version: 2))
        assertGoAway(&m, actions, .failedPrecondition, "unsupported protocol version 2 (server speaks 1)")
    }

    func testHelloOnNonzeroStream() {
        var m = machine()
        let actions = m.feed(Preface.bytes + Wire.hello(stream: 3))
        assertGoAway(&m, actions, .invalidArgument, "protocol violation: HELLO on stream 3")
    }

    func testCallOnStreamZero() {
        var m = active()
        assertGoAway(&m, m.feed(Wire.call(0)), .invalidArgument, "protocol violation: CALL on stream 0")
    }

    func testStreamIdsMustIncrease() {
        var m = active()
        _ = m.feed(Wire.call(5))
        let actions = m.feed(Wire.call(5))
        XCTAssertEqual(actions.first, .cancelCall(stream: 5, reason: .connectionClosed))
        assertGoAway(&m, actions, .invalidArgument, "protocol violation: stream id 5 is not greater than 5")
    }

    func testUndecodableCall() {
        var m = active()
        let actions = m.feed(Wire.frame(.call, stream: 1, payload: [0x0A, 0x7F]))
        assertGoAway(&m, actions, .invalidArgument, "undecodable CALL payload")
    }

    func testPingIsAnsweredAndValidated() {
        var m = active()
        let payload: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        XCTAssertEqual(m.feed(Wire.frame(.ping, payload: payload)), [])
        let out = Output(&m.output)
        XCTAssertEqual(out.frames, [Frame(type: .ping, flags: .ack, stream: 0, payload: payload)])
        XCTAssertEqual(m.feed(Wire.frame(.ping, flags: .ack, payload: payload)), [])  // an ACK needs no answer
        XCTAssertTrue(m.output.isEmpty)
        assertGoAway(
            &m, m.feed(Wire.frame(.ping, payload: [1, 2, 3])), .invalidArgument,
            "protocol violation: PING payload of 3 bytes (must be 8)")
    }

    func testPingOnNonzeroStream() {
        var m = active()
        let actions = m.feed(Wire.frame(.ping, stream: 1, payload: [UInt8](repeating: 0, count: 8)))
        assertGoAway(&m, actions, .invalidArgument, "protocol violation: PING on stream 1")
    }

    func testGoAwayOnNonzeroStream() {
        var m = active()
        let actions = m.feed(Wire.frame(.goAway, stream: 2))
        assertGoAway(&m, actions, .invalidArgument, "protocol violation: GOAWAY on stream 2")
    }

    func testStatusFromClientIsViolation() {
        var m = active()
        assertGoAway(&m, m.feed(Wire.status(1)), .invalidArgument, "protocol violation: STATUS sent by a client")
    }

    func testFrameTooLargeJudgedFromHeader() {
        var m = active(maxFrameSize: 100)
        // Only the header of a 101-byte frame: the limit is judged before the payload arrives.
        let header = Array(Wire.frame(.message, stream: 1, payload: [UInt8](repeating: 0, count: 101)).prefix(10))
        assertGoAway(&m, m.feed(header), .resourceExhausted, "frame of 101 bytes exceeds the limit of 100 bytes")
    }

    func testMessageAndCancelOnStreamsNotOpenAreIgnored() {
        var m = active()
        XCTAssertEqual(m.feed(Wire.message(9)), [])
        XCTAssertEqual(m.feed(Wire.frame(.cancel, stream: 9)), [])
        XCTAssertEqual(m.feed(Wire.message(0)), [])
        XCTAssertTrue(m.output.isEmpty)
        XCTAssertEqual(m.state, .active)
    }

    func testUnknownFrameTypesAreIgnored() {
        var m = active()
        XCTAssertEqual(m.feed(Wire.frame(FrameType(rawValue: 0x42), stream: 7, payload: [1, 2, 3])), [])
        XCTAssertTrue(m.output.isEmpty)
        XCTAssertEqual(m.state, .active)
    }

    func testMessageAfterEndStreamIsIgnored() {
        var m = active()
        _ = m.feed(Wire.call(1) + Wire.message(1))
        XCTAssertEqual(m.feed(Wire.message(1)), [])
    }

    func testConcurrentCallLimit() {
        var m = active(maxCalls: 2)
        _ = m.feed(Wire.call(1) + Wire.call(3))
        XCTAssertEqual(m.feed(Wire.call(5)), [])
        let status = Output(&m.output).status(of: 5)
        XCTAssertEqual(status?.code, StatusCode.resourceExhausted.rawValue)
        XCTAssertEqual(status?.message, "too many concurrent calls (limit 2)")
        XCTAssertEqual(m.state, .active)
        _ = m.finishCall(stream: 1, response: nil, code: .ok, message: "")
        XCTAssertEqual(m.feed(Wire.call(7)).count, 1)  // room again
    }

    func testCancelOfOpenCallCancelsHandlerWithoutStatus() {
        var m = active()
        _ = m.feed(Wire.call(1))
        XCTAssertEqual(m.feed(Wire.frame(.cancel, stream: 1)), [.cancelCall(stream: 1, reason: .cancelledByPeer)])
        XCTAssertTrue(m.output.isEmpty)
        XCTAssertEqual(m.finishCall(stream: 1, response: [1], code: .ok, message: ""), [])
        XCTAssertTrue(m.output.isEmpty)  // a late handler result is dropped
    }

    func testFinishCallWritesMessageThenStatus() {
        var m = active()
        _ = m.feed(Wire.call(1))
        XCTAssertEqual(m.finishCall(stream: 1, response: [9, 9], code: .ok, message: ""), [])
        let out = Output(&m.output)
        XCTAssertEqual(out.types, [.message, .status])
        XCTAssertEqual(out.frames[0].payload, [9, 9])
        XCTAssertEqual(out.status(of: 1)?.code, 0)
        XCTAssertEqual(m.openCallCount, 0)
    }

    func testErrorStatusCarriesCodeAndMessage() {
        var m = active()
        _ = m.feed(Wire.call(1))
        _ = m.finishCall(stream: 1, response: nil, code: .notFound, message: "no such target")
        let status = Output(&m.output).status(of: 1)
        XCTAssertEqual(status?.code, 5)
        XCTAssertEqual(status?.message, "no such target")
    }

    func testDeadline() {
        var m = active()
        _ = m.feed(Wire.call(1, timeoutMs: 10))
        XCTAssertEqual(m.deadlineFired(stream: 1), [.cancelCall(stream: 1, reason: .deadlineExceeded)])
        XCTAssertEqual(Output(&m.output).status(of: 1)?.code, StatusCode.deadlineExceeded.rawValue)
        XCTAssertEqual(m.deadlineFired(stream: 1), [])
    }

    func testResponseLargerThanClientLimitEndsCall() {
        var m = machine()
        _ = m.feed(Preface.bytes + Wire.hello(maxFrameSize: 4) + Wire.call(1))
        m.output.removeAll()
        let result = m.sendMessage(stream: 1, payload: [1, 2, 3, 4, 5])
        XCTAssertEqual(result, .tooLarge([.cancelCall(stream: 1, reason: .responseTooLarge)]))
        let out = Output(&m.output)
        XCTAssertEqual(out.types, [.status])
        XCTAssertEqual(out.status(of: 1)?.code, StatusCode.resourceExhausted.rawValue)
        XCTAssertEqual(m.sendMessage(stream: 1, payload: [1]), .callNotOpen)
    }

    func testGracefulShutdown() {
        var m = active()
        _ = m.feed(Wire.call(1) + Wire.call(3))
        XCTAssertEqual(m.shutdownRequested(), [])
        let goAway = Output(&m.output).goAway()
        XCTAssertEqual(goAway?.code, 0)
        XCTAssertEqual(goAway?.lastStreamID, 3)
        XCTAssertEqual(goAway?.message, "server shutting down")
        XCTAssertEqual(m.feed(Wire.call(5)), [])  // refused
        XCTAssertEqual(Output(&m.output).status(of: 5)?.code, StatusCode.unavailable.rawValue)
        XCTAssertEqual(m.finishCall(stream: 1, response: [1], code: .ok, message: ""), [])
        XCTAssertEqual(m.finishCall(stream: 3, response: [1], code: .ok, message: ""), [.close])
    }

    func testGracePeriodExpiry() {
        var m = active()
        _ = m.feed(Wire.call(1))
        _ = m.shutdownRequested()
        m.output.removeAll()
        XCTAssertEqual(m.gracePeriodExpired(), [.cancelCall(stream: 1, reason: .shuttingDown), .close])
        XCTAssertEqual(Output(&m.output).status(of: 1)?.code, StatusCode.unavailable.rawValue)
    }

    func testShutdownWithoutCallsClosesAtOnce() {
        var m = active()
        XCTAssertEqual(m.shutdownRequested(), [.close])
    }

    func testHandshakeTimeout() {
        var silent = machine()
        XCTAssertEqual(silent.handshakeTimerFired(), [.close])
        XCTAssertTrue(silent.output.isEmpty)
        var halfway = machine()
        _ = halfway.feed(Preface.bytes)
        halfway.output.removeAll()
        assertGoAway(&halfway, halfway.handshakeTimerFired(), .deadlineExceeded, "handshake timeout")
        var done = active()
        XCTAssertEqual(done.handshakeTimerFired(), [])
    }

    func testIdleTimeoutOnlyWithoutCalls() {
        var m = active()
        _ = m.feed(Wire.call(1))
        XCTAssertEqual(m.idleTimerFired(), [])
        _ = m.finishCall(stream: 1, response: nil, code: .ok, message: "")
        m.output.removeAll()
        assertGoAway(&m, m.idleTimerFired(), .ok, "idle timeout")
    }

    func testConnectionOverLimitGetsHandshakeThenGoAway() {
        var m = machine(connectionLimit: 3)
        let actions = m.feed(Preface.bytes)
        XCTAssertEqual(actions, [.close])
        let out = Output(&m.output)
        XCTAssertTrue(out.preface)
        XCTAssertEqual(out.types, [.hello, .goAway])
        XCTAssertEqual(out.goAway()?.code, StatusCode.resourceExhausted.rawValue)
        XCTAssertEqual(out.goAway()?.message, "too many connections (limit 3)")
    }

    func testPeerClosedCancelsEveryCall() {
        var m = active()
        _ = m.feed(Wire.call(1) + Wire.call(2))
        XCTAssertEqual(
            m.peerClosed(),
            [.cancelCall(stream: 1, reason: .connectionClosed), .cancelCall(stream: 2, reason: .connectionClosed), .close])
        XCTAssertEqual(m.peerClosed(), [])
    }

    func testClientMayCallRightAfterHello() {
        var m = machine()
        let actions = m.feed(Wire.clientHandshake + Wire.call(1) + Wire.message(1))
        XCTAssertEqual(actions.count, 2)
    }
}
