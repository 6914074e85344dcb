import XCTest
@testable import TallyRPC
import TallyWire

/// Every frame a side sends respects the max_frame_size the peer announced in its HELLO, STATUS and
/// GOAWAY included, even when their message echoes a huge input.
final class FrameSizeLimitTests: XCTestCase {
    private func server(peerLimit: UInt32) -> ServerConnectionStateMachine {
        var m = ServerConnectionStateMachine(limits: ConnectionLimits(), peerName: "server")
        XCTAssertEqual(m.feed(Preface.bytes + Wire.hello(maxFrameSize: peerLimit)), [])
        m.output.removeAll()
        return m
    }

    private func assertFramesFit(_ output: inout [UInt8], _ limit: Int, file: StaticString = #filePath, line: UInt = #line) -> Output {
        let out = Output(&output)
        XCTAssertFalse(out.frames.isEmpty, "nothing was sent", file: file, line: line)
        for frame in out.frames {
            XCTAssertLessThanOrEqual(frame.payload.count, limit, "\(frame.type) frame of \(frame.payload.count) bytes", file: file, line: line)
        }
        return out
    }

    func testStatusEchoingAHugeInputFitsThePeersLimit() throws {
        var m = server(peerLimit: 65_536)
        _ = m.feed(Wire.call(1))
        let huge = String(repeating: "x", count: 100_000)
        _ = m.finishCall(stream: 1, response: nil, code: .notFound, message: "target \"\(huge)\" does not exist")
        let out = assertFramesFit(&m.output, 65_536)
        let status = try XCTUnwrap(out.status(of: 1))
        XCTAssertEqual(status.code, StatusCode.notFound.rawValue)
        XCTAssertTrue(status.message.hasPrefix("target \"xxx"), status.message)
        XCTAssertTrue(status.message.hasSuffix("…"), "a shortened message ends in an ellipsis")
    }

    func testMultibyteMessageIsCutAtACharacterBoundary() throws {
        var m = server(peerLimit: 100)
        _ = m.feed(Wire.call(1))
        _ = m.finishCall(stream: 1, response: nil, code: .invalidArgument, message: String(repeating: "创新突破年", count: 40))
        let out = assertFramesFit(&m.output, 100)
        let status = try XCTUnwrap(out.status(of: 1), "the STATUS must decode (valid UTF-8)")
        XCTAssertTrue(status.message.hasPrefix("创新突破年"))
        XCTAssertTrue(status.message.hasSuffix("…"))
        XCTAssertEqual(status.code, StatusCode.invalidArgument.rawValue)
    }

    func testOversizedMetadataIsDroppedButTheCodeStays() throws {
        var m = server(peerLimit: 256)
        _ = m.feed(Wire.call(1))
        let metadata = ["resume-after": String(repeating: "9", count: 1_000)]
        _ = m.finishCall(stream: 1, response: nil, code: .resourceExhausted, message: "too slow", metadata: metadata)
        let out = assertFramesFit(&m.output, 256)
        let status = try XCTUnwrap(out.status(of: 1))
        XCTAssertEqual(status.code, StatusCode.resourceExhausted.rawValue)
        XCTAssertEqual(status.message, "too slow")
        XCTAssertEqual(status.metadata, [:])
    }

    func testMetadataThatFitsIsKept() throws {
        var m = server(peerLimit: 256)
        _ = m.feed(Wire.call(1))
        _ = m.finishCall(stream: 1, response: nil, code: .resourceExhausted, message: "too slow", metadata: ["resume-after": "42"])
        let status = try XCTUnwrap(assertFramesFit(&m.output, 256).status(of: 1))
        XCTAssertEqual(status.metadata, ["resume-after": "42"])
        XCTAssertEqual(status.message, "too slow")
    }

    func testEveryServerStatusAndGoAwayFitsATinyLimit() throws {
        let limit = 12
        // Refused for too many calls, deadline, too-large response, shutdown, protocol violation.
        var m = ServerConnectionStateMachine(limits: ConnectionLimits(maxConcurrentCalls: 1), peerName: "server")
        _ = m.feed(Preface.bytes + Wire.hello(maxFrameSize: UInt32(limit)))
        m.output.removeAll()  // the server's HELLO leaves before the client's limit is known (SPEC §4)
        _ = m.feed(Wire.call(1, timeoutMs: 5) + Wire.call(3))
        _ = m.deadlineFired(stream: 1)
        _ = m.feed(Wire.call(5))
        _ = m.sendMessage(stream: 5, payload: [UInt8](repeating: 1, count: 100))
        _ = m.feed(Wire.call(7))
        _ = m.gracePeriodExpired()
        var out = assertFramesFit(&m.output, limit)
        XCTAssertEqual(out.frames.filter { $0.type == .status }.count, 4)
        for stream: UInt32 in [1, 3, 5, 7] {
            XCTAssertNotEqual(try XCTUnwrap(out.status(of: stream), "stream \(stream)").code, 0)
        }

        var violating = server(peerLimit: UInt32(limit))
        _ = violating.feed(Wire.frame(.ping, stream: 9, payload: [1, 2, 3, 4, 5, 6, 7, 8]))
        out = assertFramesFit(&violating.output, limit)
        XCTAssertEqual(out.goAway()?.code, StatusCode.invalidArgument.rawValue)
    }

    func testClientGoAwayAndCallHeaderRespectTheServersLimit() throws {
        var m = ClientConnectionStateMachine(limits: ConnectionLimits(), peerName: "client")
        _ = m.feed(Preface.bytes + Wire.hello(maxFrameSize: 64))
        m.output.removeAll()
        var header = Tally_Wire_V1_CallHeader()
        header.method = "/tally.v1.Reporting/ReportTarget"
        header.metadata = ["authorization": String(repeating: "t", count: 200)]
        let result = m.startCall(header: header, message: [1], end: true)
        guard case .failure(let error) = result else { return XCTFail("a CALL header over the server's limit was sent") }
        XCTAssertEqual(error.code, .resourceExhausted)
        XCTAssertTrue(m.output.isEmpty)

        // A connection error found by the client: its GOAWAY is cut to the server's limit too.
        _ = m.feed(Wire.frame(.call, stream: 2, payload: []))
        _ = assertFramesFit(&m.output, 64)
    }

    func testQuotedInputIsShortenedTo64CharactersAndAnEllipsis() {
        XCTAssertEqual(StatusText.quote("marine-hitech"), "\"marine-hitech\"")
        let quoted = StatusText.quote(String(repeating: "界", count: 100))
        XCTAssertEqual(quoted, "\"" + String(repeating: "界", count: 64) + "…\"")
        XCTAssertEqual(StatusText.truncated("abcdef", maxBytes: 6), "abcdef")
        XCTAssertEqual(StatusText.truncated("abcdefg", maxBytes: 6), "abc…")
    }
}
