import SwiftProtobuf
import TallyWire
import XCTest

/// Protocol/vectors/*.hex: encoding the described messages gives exactly those bytes, and decoding
/// those bytes gives the described frames and messages.
final class VectorTests: XCTestCase {
    /// What a record of a vector file is meant to be.
    private enum Expected {
        case preface
        case frame(Frame)

        var bytes: [UInt8] {
            switch self {
            case .preface: Preface.bytes
            case .frame(let frame): FrameEncoder.encode(frame)
            }
        }
    }

    private typealias Conversation = [(VectorRecord.Direction, Expected)]

    private func clientHello() throws -> Frame {
        var hello = Tally_Wire_V1_Hello()
        hello.protocolVersion = 1
        hello.peerName = "tally-test/1"
        return Frame(type: .hello, stream: 0, payload: try hello.serializedBytes())
    }

    private func serverHello() throws -> Frame {
        var hello = Tally_Wire_V1_Hello()
        hello.protocolVersion = 1
        hello.peerName = "tally-server/1"
        hello.maxFrameSize = 1_048_576
        hello.maxConcurrentCalls = 100
        return Frame(type: .hello, stream: 0, payload: try hello.serializedBytes())
    }

    private func handshake() throws -> (client: Conversation, server: Conversation) {
        ([(.client, .preface), (.client, .frame(try clientHello()))],
         [(.server, .preface), (.server, .frame(try serverHello()))])
    }

    private func call(_ method: String, metadata: [String: String] = [:], timeoutMs: UInt32) throws -> Frame {
        var header = Tally_Wire_V1_CallHeader()
        header.method = method
        header.metadata = metadata
        header.timeoutMs = timeoutMs
        return Frame(type: .call, stream: 1, payload: try header.serializedBytes())
    }

    private func status(_ code: StatusCode, _ message: String = "") throws -> Frame {
        var status = Tally_Wire_V1_Status()
        status.code = code.rawValue
        status.message = message
        return Frame(type: .status, stream: 1, payload: try status.serializedBytes())
    }

    /// Checks a vector file against the conversation it is meant to hold, in both directions.
    private func check(_ file: String, _ expected: Conversation, line: UInt = #line) throws {
        let records = try VectorFile.load(file)
        XCTAssertEqual(records.count, expected.count, "\(file): record count", line: line)
        for (record, (direction, item)) in zip(records, expected) {
            XCTAssertEqual(record.direction, direction, "\(file):\(record.line)", line: line)
            XCTAssertEqual(record.bytes.hex, item.bytes.hex, "\(file):\(record.line): encoding differs", line: line)
        }
        // Decoding: each side's byte stream, as one TCP stream would carry it, byte by byte and at once.
        for side in [VectorRecord.Direction.client, .server] {
            let stream = records.filter { $0.direction == side }.flatMap(\.bytes)
            let wanted = expected.filter { $0.0 == side }.map(\.1)
            guard case .preface = wanted.first else { return XCTFail("\(file): \(side) must start with the preface") }
            let frames = wanted.dropFirst().compactMap { item -> Frame? in
                if case .frame(let frame) = item { return frame }
                return nil
            }
            for chunk in [1, 3, stream.count] {
                var decoder = FrameDecoder(maxFrameSize: 1 << 20)
                var decoded: [Frame] = []
                var preface: [UInt8]?
                for start in stride(from: 0, to: stream.count, by: chunk) {
                    decoder.append(stream[start..<min(start + chunk, stream.count)])
                    if preface == nil { preface = decoder.takeBytes(Preface.count) }
                    guard preface != nil else { continue }
                    while let frame = try decoder.next() { decoded.append(frame) }
                }
                XCTAssertEqual(preface, Preface.bytes, "\(file) \(side) chunk \(chunk)", line: line)
                XCTAssertEqual(decoded, frames, "\(file) \(side) chunk \(chunk)", line: line)
                XCTAssertEqual(decoder.bufferedByteCount, 0, line: line)
            }
        }
    }

    func testHelloExchange() throws {
        let (client, server) = try handshake()
        try check("hello-exchange.hex", client + server)
        // And the decoded HELLO payloads are the described messages.
        let records = try VectorFile.load("hello-exchange.hex")
        let hellos = try records.filter { $0.bytes.count > Preface.count }.map {
            try Tally_Wire_V1_Hello(serializedBytes: Array($0.bytes.dropFirst(Frame.headerSize)))
        }
        XCTAssertEqual(hellos.map(\.peerName), ["tally-test/1", "tally-server/1"])
        XCTAssertEqual(hellos.map(\.protocolVersion), [1, 1])
        XCTAssertEqual(hellos.map(\.maxFrameSize), [0, 1_048_576])
        XCTAssertEqual(hellos.map(\.maxConcurrentCalls), [0, 100])
    }

    func testUnaryCall() throws {
        let (client, server) = try handshake()
        let conversation: Conversation = client + [
            (.client, .frame(try call("/tally.v1.Health/Check", timeoutMs: 1000))),
            (.client, .frame(Frame(type: .message, flags: .endStream, stream: 1))),
        ] + server + [
            (.server, .frame(Frame(type: .message, stream: 1))),
            (.server, .frame(try status(.ok))),
        ]
        try check("unary-call.hex", conversation)
        let records = try VectorFile.load("unary-call.hex")
        let header = try Tally_Wire_V1_CallHeader(serializedBytes: Array(records[2].bytes.dropFirst(Frame.headerSize)))
        XCTAssertEqual(header.method, "/tally.v1.Health/Check")
        XCTAssertEqual(header.timeoutMs, 1000)
        XCTAssertEqual(header.metadata, [:])
        XCTAssertEqual(records.last?.bytes, [0, 0, 0, 0, 0x04, 0, 0, 0, 0, 1], "STATUS OK is an empty payload")
    }

    func testServerStreamingCall() throws {
        let (client, server) = try handshake()
        let conversation: Conversation = client + [
            (.client, .frame(try call("/tally.v1.Oversight/Watch", metadata: ["authorization": "Bearer s3cr3t"], timeoutMs: 5000))),
            (.client, .frame(Frame(type: .message, flags: .endStream, stream: 1, payload: watchRequest(afterSequence: 41)))),
        ] + server + [
            (.server, .frame(Frame(type: .message, stream: 1, payload: watchChangeEvent(sequence: 42, oldValue: "180", newValue: "190")))),
            (.server, .frame(Frame(type: .message, stream: 1, payload: watchChangeEvent(sequence: 43, oldValue: "190", newValue: "195.5")))),
            (.server, .frame(try status(.deadlineExceeded, "deadline exceeded"))),
        ]
        try check("server-streaming.hex", conversation)
        let records = try VectorFile.load("server-streaming.hex")
        let header = try Tally_Wire_V1_CallHeader(serializedBytes: Array(records[2].bytes.dropFirst(Frame.headerSize)))
        XCTAssertEqual(header.metadata, ["authorization": "Bearer s3cr3t"])
        let status = try Tally_Wire_V1_Status(serializedBytes: Array(try XCTUnwrap(records.last).bytes.dropFirst(Frame.headerSize)))
        XCTAssertEqual(StatusCode(rawValue: status.code), .deadlineExceeded)
        XCTAssertEqual(status.message, "deadline exceeded")
    }

    func testParserRejectsMalformedRecords() {
        XCTAssertEqual(try VectorFile.parse("# c\n\nC: 00 01\nS:ff\n").map(\.bytes), [[0, 1], [0xFF]])
        for bad in ["X: 00", "C 00", "C: 0", "C: zz", "C:"] {
            XCTAssertThrowsError(try VectorFile.parse(bad), bad)
        }
    }
}
