import SwiftProtobuf
import XCTest
@testable import TallyRPC
import TallyWire

/// Builds wire bytes for feeding state machines and raw sockets.
enum Wire {
    static func frame(_ type: FrameType, flags: FrameFlags = [], stream: UInt32 = 0, payload: [UInt8] = []) -> [UInt8] {
        FrameEncoder.encode(Frame(type: type, flags: flags, stream: stream, payload: payload))
    }

    static func hello(version: UInt32 = 1, maxFrameSize: UInt32 = 0, stream: UInt32 = 0) -> [UInt8] {
        var hello = Tally_Wire_V1_Hello()
        hello.protocolVersion = version
        hello.peerName = "test"
        hello.maxFrameSize = maxFrameSize
        return frame(.hello, stream: stream, payload: bytes(hello))
    }

    static func call(_ stream: UInt32, _ method: String = "/t.S/M", timeoutMs: UInt32 = 0) -> [UInt8] {
        var header = Tally_Wire_V1_CallHeader()
        header.method = method
        header.timeoutMs = timeoutMs
        return frame(.call, stream: stream, payload: bytes(header))
    }

    static func message(_ stream: UInt32, _ payload: [UInt8] = [1, 2], end: Bool = true) -> [UInt8] {
        frame(.message, flags: end ? .endStream : [], stream: stream, payload: payload)
    }

    static func status(_ stream: UInt32, _ code: StatusCode = .ok, _ message: String = "") -> [UInt8] {
        var status = Tally_Wire_V1_Status()
        status.code = code.rawValue
        status.message = message
        return frame(.status, stream: stream, payload: bytes(status))
    }

    static func goAway(last: UInt32, _ code: StatusCode = .ok, _ message: String = "bye") -> [UInt8] {
        var goAway = Tally_Wire_V1_GoAway()
        goAway.lastStreamID = last
        goAway.code = code.rawValue
        goAway.message = message
        return frame(.goAway, payload: bytes(goAway))
    }

    static let serverHandshake: [UInt8] = Preface.bytes + hello()
    static let clientHandshake: [UInt8] = Preface.bytes + hello()

    static func bytes<M: SwiftProtobuf.Message>(_ message: M) -> [UInt8] {
        (try? message.serializedBytes()) ?? []
    }
}

/// Frames decoded from a machine's output.
struct Output {
    var preface = false
    var frames: [Frame] = []

    init(_ bytes: inout [UInt8]) {
        var decoder = FrameDecoder(maxFrameSize: 1 << 30)
        decoder.append(bytes)
        if bytes.starts(with: Preface.bytes) {  // a preface is recognised wherever it is expected
            _ = decoder.takeBytes(Preface.count)
            preface = true
        }
        bytes.removeAll()
        while let frame = try? decoder.next() { frames.append(frame) }
    }

    var types: [FrameType] { frames.map(\.type) }

    func goAway(file: StaticString = #filePath, line: UInt = #line) -> Tally_Wire_V1_GoAway? {
        guard let frame = frames.first(where: { $0.type == .goAway }) else {
            XCTFail("no GOAWAY in \(types)", file: file, line: line)
            return nil
        }
        return try? Tally_Wire_V1_GoAway(serializedBytes: frame.payload)
    }

    func status(of stream: UInt32) -> Tally_Wire_V1_Status? {
        guard let frame = frames.first(where: { $0.type == .status && $0.stream == stream }) else { return nil }
        return try? Tally_Wire_V1_Status(serializedBytes: frame.payload)
    }
}

extension ServerConnectionStateMachine {
    /// Feeds bytes (helper for tests).
    mutating func feed(_ bytes: [UInt8]) -> [Action] {
        bytes.withUnsafeBytes { bytesReceived($0) }
    }
}

extension ClientConnectionStateMachine {
    mutating func feed(_ bytes: [UInt8]) -> [Action] {
        bytes.withUnsafeBytes { bytesReceived($0) }
    }
}
