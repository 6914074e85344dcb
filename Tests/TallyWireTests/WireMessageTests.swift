import SwiftProtobuf
import TallyWire
import XCTest

/// The handshake and control messages of wire.proto, status codes and wire errors.
final class WireMessageTests: XCTestCase {
    private func roundTrip<M: SwiftProtobuf.Message & Equatable>(_ message: M, file: StaticString = #filePath, line: UInt = #line) throws {
        let bytes: [UInt8] = try message.serializedBytes()
        XCTAssertEqual(try M(serializedBytes: bytes), message, file: file, line: line)
        // And inside a frame, through the decoder.
        var decoder = FrameDecoder(maxFrameSize: 1 << 20)
        decoder.append(FrameEncoder.encode(Frame(type: .hello, stream: 0, payload: bytes)))
        let frame = try XCTUnwrap(decoder.next(), file: file, line: line)
        XCTAssertEqual(try M(serializedBytes: frame.payload), message, file: file, line: line)
    }

    func testHelloRoundTrip() throws {
        var hello = Tally_Wire_V1_Hello()
        try roundTrip(hello)
        hello.protocolVersion = Preface.protocolVersion
        hello.peerName = "tally-server/1 (测试)"
        hello.maxFrameSize = 1 << 20
        hello.maxConcurrentCalls = 100
        try roundTrip(hello)
        hello.maxFrameSize = .max
        try roundTrip(hello)
    }

    func testCallHeaderRoundTrip() throws {
        var header = Tally_Wire_V1_CallHeader()
        header.method = "/tally.v1.Reporting/ReportTarget"
        header.metadata = ["authorization": "Bearer abc", "x-request-id": "r-1", "x-empty": ""]
        header.timeoutMs = 30_000
        try roundTrip(header)
    }

    func testStatusRoundTripAndEmptyOK() throws {
        XCTAssertEqual(try Tally_Wire_V1_Status().serializedBytes() as [UInt8], [], "OK with no message is an empty payload")
        XCTAssertEqual(try Tally_Wire_V1_Status(serializedBytes: [UInt8]()).code, 0)
        var status = Tally_Wire_V1_Status()
        status.code = StatusCode.aborted.rawValue
        status.message = "version 3 expected, found 4"
        status.metadata = ["retry-after-ms": "100"]
        try roundTrip(status)
        status.code = -1
        try roundTrip(status)
    }

    func testGoAwayRoundTrip() throws {
        var goAway = Tally_Wire_V1_GoAway()
        goAway.lastStreamID = 0xFFFF_FFFF
        goAway.code = StatusCode.resourceExhausted.rawValue
        goAway.message = "too many connections (limit 1024)"
        try roundTrip(goAway)
    }

    func testUndecodablePayloadIsRejected() {
        // A truncated length-delimited field.
        XCTAssertThrowsError(try Tally_Wire_V1_Hello(serializedBytes: [0x12, 0x05, 0x61]))
    }

    func testStatusCodeNames() {
        let names = [
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
            "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
            "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
        ]
        for (raw, name) in names.enumerated() {
            XCTAssertEqual(StatusCode(rawValue: Int32(raw)).name, name)
            XCTAssertEqual(StatusCode(rawValue: Int32(raw)).description, name)
        }
        let constants: [StatusCode] = [
            .ok, .cancelled, .unknown, .invalidArgument, .deadlineExceeded, .notFound, .alreadyExists,
            .permissionDenied, .resourceExhausted, .failedPrecondition, .aborted, .outOfRange, .unimplemented,
            .internalError, .unavailable, .dataLoss, .unauthenticated,
        ]
        XCTAssertEqual(constants.map(\.rawValue), Array(0...16))
        XCTAssertEqual(StatusCode(rawValue: 17).name, "CODE_17")
        XCTAssertEqual(StatusCode(rawValue: -3).name, "CODE_-3")
    }

    func testRPCErrorDescription() {
        let error = RPCError(.unimplemented, "unknown method /x.Y/Z")
        XCTAssertEqual(error.description, "UNIMPLEMENTED: unknown method /x.Y/Z")
        XCTAssertEqual(error.metadata, [:])
    }

    func testWireErrorDescriptionsAndGoAwayCodes() {
        let cases: [(WireError, String, StatusCode)] = [
            (.badPreface, "bad preface: expected \"TALLY/1\\n\"", .invalidArgument),
            (.frameTooLarge(length: 2_000_000, limit: 1_048_576),
             "frame of 2000000 bytes exceeds the limit of 1048576 bytes", .resourceExhausted),
            (.protocolViolation("CALL on stream 0"), "protocol violation: CALL on stream 0", .invalidArgument),
            (.undecodablePayload(.hello), "undecodable HELLO payload", .invalidArgument),
            (.undecodablePayload(.call), "undecodable CALL payload", .invalidArgument),
        ]
        for (error, description, code) in cases {
            XCTAssertEqual(error.description, description)
            XCTAssertEqual(error.goAwayCode, code, description)
        }
    }
}
