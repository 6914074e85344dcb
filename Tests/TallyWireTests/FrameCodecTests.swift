import TallyWire
import XCTest

/// Frame encoding, header parsing and the decoder's handling of limits and unknown types.
final class FrameCodecTests: XCTestCase {
    private let streams: [UInt32] = [0, 1, 2, 0xFF, 0x100, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF]

    func testEveryTypeFlagAndStreamRoundTrips() throws {
        var rng = SeededGenerator(seed: 1)
        for type in UInt8.min...UInt8.max {
            for stream in streams {
                let flags = FrameFlags(rawValue: UInt8.random(in: 0...255, using: &rng))
                let payload = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let frame = Frame(type: FrameType(rawValue: type), flags: flags, stream: stream, payload: payload)
                let bytes = FrameEncoder.encode(frame)
                XCTAssertEqual(bytes.count, Frame.headerSize + payload.count)
                var decoder = FrameDecoder(maxFrameSize: 1 << 20)
                decoder.append(bytes)
                XCTAssertEqual(try decoder.next(), frame)
                XCTAssertNil(try decoder.next())
                XCTAssertEqual(decoder.bufferedByteCount, 0)
            }
        }
        for flags in UInt8.min...UInt8.max {
            let frame = Frame(type: .message, flags: FrameFlags(rawValue: flags), stream: 7, payload: [flags])
            var decoder = FrameDecoder(maxFrameSize: 16)
            decoder.append(FrameEncoder.encode(frame))
            XCTAssertEqual(try decoder.next()?.flags.rawValue, flags)
        }
    }

    func testHeaderLayoutIsBigEndian() {
        let frame = Frame(type: .message, flags: .endStream, stream: 0x0102_0304, payload: [0xAA, 0xBB])
        XCTAssertEqual(FrameEncoder.encode(frame), [0, 0, 0, 2, 0x03, 0x01, 0x01, 0x02, 0x03, 0x04, 0xAA, 0xBB])
        let max = Frame(type: .goAway, stream: 0xFFFF_FFFF)
        XCTAssertEqual(FrameEncoder.encode(max), [0, 0, 0, 0, 0x07, 0, 0xFF, 0xFF, 0xFF, 0xFF])
    }

    func testEncoderVariantsAgree() {
        let frame = Frame(type: .call, flags: [], stream: 9, payload: Array("abc".utf8))
        var viaFrame: [UInt8] = [0xEE]
        FrameEncoder.append(frame, to: &viaFrame)
        var viaPayload: [UInt8] = [0xEE]
        FrameEncoder.append(type: .call, stream: 9, payload: "abc".utf8, to: &viaPayload)
        var viaHeader: [UInt8] = [0xEE]
        FrameEncoder.appendHeader(type: .call, flags: [], stream: 9, length: 3, to: &viaHeader)
        viaHeader += Array("abc".utf8)
        XCTAssertEqual(viaFrame, [0xEE] + FrameEncoder.encode(frame))
        XCTAssertEqual(viaPayload, viaFrame)
        XCTAssertEqual(viaHeader, viaFrame)
    }

    func testHeaderParsing() {
        let bytes: [UInt8] = [0x99, 0x00, 0x01, 0x00, 0x00, 0x42, 0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]
        bytes.withUnsafeBytes { raw in
            XCTAssertEqual(
                FrameHeader.parse(raw, at: 1),
                FrameHeader(length: 0x0001_0000, type: FrameType(rawValue: 0x42), flags: FrameFlags(rawValue: 0x03),
                            stream: 0xFFFF_FFFF))
            XCTAssertNil(FrameHeader.parse(raw, at: 3), "only 9 bytes from offset 3")
            XCTAssertEqual(FrameHeader.parse(raw, at: 2)?.stream, 0xFFFF_FF00)
        }
        let exact: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x06, 0x01, 0, 0, 0, 0]
        exact.withUnsafeBytes { raw in
            let header = FrameHeader.parse(raw, at: 0)
            XCTAssertEqual(header?.length, 0xFFFF_FFFF)
            XCTAssertEqual(header?.type, .ping)
            XCTAssertEqual(header?.flags, .ack)
            XCTAssertEqual(header?.stream, 0)
        }
        [UInt8]().withUnsafeBytes { XCTAssertNil(FrameHeader.parse($0, at: 0)) }
    }

    func testEmptyAndMaxSizePayloads() throws {
        let limit = 1 << 20
        for size in [0, 1, limit - 1, limit] {
            let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let frame = Frame(type: .message, flags: .endStream, stream: 0xFFFF_FFFF, payload: payload)
            var decoder = FrameDecoder(maxFrameSize: limit)
            decoder.append(FrameEncoder.encode(frame))
            XCTAssertEqual(try decoder.next(), frame, "payload of \(size) bytes")
        }
    }

    func testFrameOverLimitThrowsFromHeaderAlone() {
        for (length, limit) in [(1025, 1024), (Int(UInt32.max), 1 << 20), (1, 0)] {
            var decoder = FrameDecoder(maxFrameSize: limit)
            var header: [UInt8] = []
            FrameEncoder.appendHeader(type: .message, flags: [], stream: 1, length: length, to: &header)
            decoder.append(header.prefix(9))
            XCTAssertNil(try decoder.next(), "9 bytes are not a header yet")
            decoder.append(header.suffix(1))
            XCTAssertThrowsError(try decoder.next()) { error in
                XCTAssertEqual(error as? WireError, .frameTooLarge(length: length, limit: limit))
                XCTAssertEqual(
                    "\(error)", "frame of \(length) bytes exceeds the limit of \(limit) bytes")
            }
        }
    }

    func testExactlyMaxSizeWaitsForPayloadThenDecodes() throws {
        var decoder = FrameDecoder(maxFrameSize: 1024)
        var bytes: [UInt8] = []
        FrameEncoder.append(type: .message, stream: 3, payload: [UInt8](repeating: 0x5A, count: 1024), to: &bytes)
        decoder.append(bytes.prefix(Frame.headerSize))
        XCTAssertNil(try decoder.next())
        XCTAssertEqual(decoder.bufferedByteCount, Frame.headerSize, "nothing consumed while waiting")
        decoder.append(bytes[Frame.headerSize..<(bytes.count - 1)])
        XCTAssertNil(try decoder.next())
        XCTAssertEqual(decoder.bufferedByteCount, bytes.count - 1)
        decoder.append(bytes.suffix(1))
        let frame = try XCTUnwrap(decoder.next())
        XCTAssertEqual(frame.payload.count, 1024)
        XCTAssertEqual(decoder.bufferedByteCount, 0)
    }

    func testUnknownTypePassesThrough() throws {
        var decoder = FrameDecoder(maxFrameSize: 64)
        decoder.append(FrameEncoder.encode(Frame(type: FrameType(rawValue: 0x2A), flags: [], stream: 5, payload: [1, 2])))
        decoder.append(FrameEncoder.encode(Frame(type: .ping, stream: 0, payload: [UInt8](repeating: 0, count: 8))))
        let unknown = try XCTUnwrap(decoder.next())
        XCTAssertEqual(unknown.type.rawValue, 0x2A)
        XCTAssertFalse(unknown.type.isKnown)
        XCTAssertEqual(unknown.type.description, "UNKNOWN(0x2a)")
        XCTAssertEqual(unknown.payload, [1, 2])
        XCTAssertEqual(try decoder.next()?.type, .ping)
    }

    func testFrameTypesAndFlags() {
        let named: [(FrameType, UInt8, String)] = [
            (.hello, 1, "HELLO"), (.call, 2, "CALL"), (.message, 3, "MESSAGE"), (.status, 4, "STATUS"),
            (.cancel, 5, "CANCEL"), (.ping, 6, "PING"), (.goAway, 7, "GOAWAY"),
        ]
        for (type, raw, name) in named {
            XCTAssertEqual(type.rawValue, raw)
            XCTAssertEqual(type.description, name)
            XCTAssertTrue(type.isKnown)
        }
        for raw in [UInt8(0)] + Array(8...255) {
            XCTAssertFalse(FrameType(rawValue: raw).isKnown, "type \(raw)")
        }
        XCTAssertEqual(FrameFlags.endStream.rawValue, 0x01)
        XCTAssertEqual(FrameFlags.ack.rawValue, 0x01)
    }

    func testTakeBytesForThePreface() throws {
        var decoder = FrameDecoder(maxFrameSize: 64)
        decoder.append(Preface.bytes.prefix(5))
        XCTAssertNil(decoder.takeBytes(Preface.count))
        XCTAssertEqual(decoder.bufferedByteCount, 5, "nothing consumed")
        XCTAssertEqual(decoder.takeBytes(0), [])
        let hello = Frame(type: .hello, stream: 0, payload: [0x08, 0x01])
        decoder.append(Preface.bytes.suffix(3) + FrameEncoder.encode(hello))
        XCTAssertEqual(decoder.takeBytes(Preface.count), Preface.bytes)
        XCTAssertEqual(try decoder.next(), hello)
        XCTAssertNil(decoder.takeBytes(1))
        XCTAssertEqual(Preface.bytes, Array("TALLY/1\n".utf8))
        XCTAssertEqual(Preface.count, 8)
        XCTAssertEqual(Preface.protocolVersion, 1)
    }

    func testManyFramesWithCompactionKeepOrder() throws {
        // Enough small frames to cross the decoder's compaction threshold several times.
        var bytes: [UInt8] = []
        var expected: [Frame] = []
        for i in 0..<3000 {
            let frame = Frame(type: .message, stream: UInt32(i + 1), payload: [UInt8(truncatingIfNeeded: i)])
            expected.append(frame)
            FrameEncoder.append(frame, to: &bytes)
        }
        var rng = SeededGenerator(seed: 7)
        let outcome = decode(bytes, chunkSizes: randomSplits(count: bytes.count, maxChunk: 50, using: &rng), maxFrameSize: 8)
        XCTAssertEqual(outcome.frames, expected)
        XCTAssertNil(outcome.error)
        XCTAssertEqual(outcome.leftover, 0)
    }
}
