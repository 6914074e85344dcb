import XCTest
@testable import TallyRPC
import TallyWire

final class ClientStateMachineTests: XCTestCase {
    typealias Machine = ClientConnectionStateMachine

    func machine() -> Machine {
        Machine(limits: ConnectionLimits(maxFrameSize: 1000), peerName: "client")
    }

    func header(_ method: String = "/t.S/M") -> Tally_Wire_V1_CallHeader {
        var header = Tally_Wire_V1_CallHeader()
        header.method = method
        return header
    }

    func testStartsWithPrefaceAndHello() throws {
        var m = machine()
        let out = Output(&m.output)
        XCTAssertTrue(out.preface)
        XCTAssertEqual(out.types, [.hello])
        XCTAssertEqual(try Tally_Wire_V1_Hello(serializedBytes: out.frames[0].payload).maxFrameSize, 1000)
    }

    func testCallsBeforeServerHelloGetIncreasingStreams() {
        var m = machine()
        m.output.removeAll()
        XCTAssertEqual(try m.startCall(header: header(), message: [1], end: true).get(), 1)
        XCTAssertEqual(try m.startCall(header: header(), message: nil, end: false).get(), 2)
        let out = Output(&m.output)
        XCTAssertEqual(out.types, [.call, .message, .call])
        XCTAssertEqual(out.frames[1].flags, .endStream)
    }

    func testUnaryExchange() {
        var m = machine()
        let stream = (try? m.startCall(header: header(), message: [1], end: true).get()) ?? 0
        XCTAssertEqual(m.feed(Wire.serverHandshake), [.handshakeCompleted])
        XCTAssertEqual(m.feed(Wire.message(stream, [7], end: false)), [.deliverMessage(stream: stream, payload: [7])])
        XCTAssertEqual(m.feed(Wire.status(stream)), [.finishCall(stream: stream, status: RPCError(.ok, ""))])
        XCTAssertEqual(m.openCallCount, 0)
        XCTAssertEqual(m.feed(Wire.message(stream)), [])  // not open any more: ignored
        XCTAssertEqual(m.feed(Wire.status(stream)), [])
    }

    func testCancelSendsCancelFrame() {
        var m = machine()
        _ = m.feed(Wire.serverHandshake)
        let stream = (try? m.startCall(header: header(), message: [1], end: true).get()) ?? 0
        m.output.removeAll()
        XCTAssertEqual(m.cancelCall(stream: stream), [])
        XCTAssertEqual(Output(&m.output).frames, [Frame(type: .cancel, stream: stream)])
        XCTAssertEqual(m.cancelCall(stream: stream), [])
        XCTAssertTrue(m.output.isEmpty)
    }

    func testGracefulGoAwayFailsOnlyUnprocessedCalls() {
        var m = machine()
        _ = m.feed(Wire.serverHandshake)
        _ = m.startCall(header: header(), message: [1], end: true)
        _ = m.startCall(header: header(), message: [1], end: true)
        let actions = m.feed(Wire.goAway(last: 1, .ok, "server shutting down"))
        XCTAssertEqual(actions.count, 1)
        guard case .finishCall(2, let status) = actions.first else { return XCTFail("\(actions)") }
        XCTAssertEqual(status.code, .unavailable)
        XCTAssertFalse(m.canStartCalls)
        XCTAssertEqual(m.feed(Wire.status(1)), [.finishCall(stream: 1, status: RPCError(.ok, "")), .close])
    }

    func testErrorGoAwayFailsAllCallsWithItsCode() {
        var m = machine()
        _ = m.feed(Wire.serverHandshake)
        _ = m.startCall(header: header(), message: [1], end: true)
        let actions = m.feed(Wire.goAway(last: 1, .resourceExhausted, "too many connections (limit 1)"))
        XCTAssertEqual(
            actions,
            [.finishCall(stream: 1, status: RPCError(.resourceExhausted, "too many connections (limit 1)")), .close])
    }

    func testPingFromServerIsAcknowledged() {
        var m = machine()
        _ = m.feed(Wire.serverHandshake)
        m.output.removeAll()
        let payload: [UInt8] = [8, 7, 6, 5, 4, 3, 2, 1]
        XCTAssertEqual(m.feed(Wire.frame(.ping, payload: payload)), [])
        XCTAssertEqual(Output(&m.output).frames, [Frame(type: .ping, flags: .ack, stream: 0, payload: payload)])
        XCTAssertEqual(m.feed(Wire.frame(.ping, flags: .ack, payload: payload)), [.pingAcknowledged])
    }

    func testBadServerPrefaceFailsCalls() {
        var m = machine()
        _ = m.startCall(header: header(), message: [1], end: true)
        let actions = m.feed(Array("HTTP/1.1 400 Bad\r\n".utf8))
        XCTAssertEqual(actions.last, .close)
        guard case .finishCall(1, let status) = actions.first else { return XCTFail("\(actions)") }
        XCTAssertEqual(status.code, .unavailable)
    }

    func testCallFrameFromServerIsViolation() {
        var m = machine()
        _ = m.feed(Wire.serverHandshake)
        m.output.removeAll()
        XCTAssertEqual(m.feed(Wire.call(2)), [.close])
        XCTAssertEqual(Output(&m.output).goAway()?.code, StatusCode.invalidArgument.rawValue)
    }

    func testUnknownFrameIgnored() {
        var m = machine()
        _ = m.feed(Wire.serverHandshake)
        XCTAssertEqual(m.feed(Wire.frame(FrameType(rawValue: 0x99), stream: 1)), [])
        XCTAssertEqual(m.state, .active)
    }

    func testConnectionLostFailsCallsUnavailable() {
        var m = machine()
        _ = m.startCall(header: header(), message: [1], end: true)
        XCTAssertEqual(
            m.connectionLost("cannot reach h:1: connection refused"),
            [.finishCall(stream: 1, status: RPCError(.unavailable, "cannot reach h:1: connection refused")), .close])
        XCTAssertFalse(m.canStartCalls)
    }

    func testRequestLargerThanServerLimitFailsLocally() {
        var m = machine()
        _ = m.feed(Preface.bytes + Wire.hello(maxFrameSize: 3))
        let result = m.startCall(header: header(), message: [1, 2, 3, 4], end: true)
        guard case .failure(let error) = result else { return XCTFail("\(result)") }
        XCTAssertEqual(error.code, .resourceExhausted)
        XCTAssertEqual(m.openCallCount, 0)
    }

    func testFrameTooLargeFromServer() {
        var m = machine()
        _ = m.feed(Wire.serverHandshake)
        let header = Array(Wire.frame(.message, stream: 1, payload: [UInt8](repeating: 0, count: 1001)).prefix(10))
        XCTAssertEqual(m.feed(header), [.close])
    }
}
