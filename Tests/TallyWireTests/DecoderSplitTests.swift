import TallyWire
import XCTest

/// NIO's ByteToMessageDecoderVerifier idea: the same bytes, fed byte by byte, all at once and in
/// random splits, give the same frames; and a randomized search for crashes, loops and overbuffering.
final class DecoderSplitTests: XCTestCase {
    private func sampleStream(using rng: inout SeededGenerator, frames: Int, maxPayload: Int) -> ([UInt8], [Frame]) {
        var bytes: [UInt8] = []
        var expected: [Frame] = []
        for _ in 0..<frames {
            let payload = (0..<Int.random(in: 0...maxPayload, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let frame = Frame(
                type: FrameType(rawValue: UInt8.random(in: 0...9, using: &rng)),
                flags: FrameFlags(rawValue: UInt8.random(in: 0...1, using: &rng)),
                stream: UInt32.random(in: 0...UInt32.max, using: &rng), payload: payload)
            expected.append(frame)
            FrameEncoder.append(frame, to: &bytes)
        }
        return (bytes, expected)
    }

    func testSameFramesWhateverTheSplit() {
        var rng = SeededGenerator(seed: 42)
        for round in 0..<50 {
            let (bytes, expected) = sampleStream(using: &rng, frames: 20, maxPayload: 300)
            let whole = decodeAllAtOnce(bytes, maxFrameSize: 300)
            XCTAssertEqual(whole.frames, expected, "round \(round)")
            XCTAssertNil(whole.error)
            XCTAssertEqual(whole.leftover, 0)
            XCTAssertEqual(decodeByteByByte(bytes, maxFrameSize: 300), whole, "round \(round): byte by byte")
            for maxChunk in [2, 11, 64, 1000] {
                let splits = randomSplits(count: bytes.count, maxChunk: maxChunk, using: &rng)
                XCTAssertEqual(decode(bytes, chunkSizes: splits, maxFrameSize: 300), whole, "round \(round) splits \(splits)")
            }
        }
    }

    func testTrailingPartialFrameIsKeptNotReturned() {
        var rng = SeededGenerator(seed: 3)
        let (bytes, expected) = sampleStream(using: &rng, frames: 5, maxPayload: 50)
        let last = FrameEncoder.encode(Frame(type: .message, stream: 9, payload: [1, 2, 3, 4]))
        for cut in 1..<last.count {
            let outcome = decodeByteByByte(bytes + last.prefix(cut), maxFrameSize: 64)
            XCTAssertEqual(outcome.frames, expected)
            XCTAssertEqual(outcome.leftover, cut)
        }
    }

    /// Random bytes and truncated or mutated valid streams: FrameDecoder must agree with the reference
    /// decoder, whatever the split, never crash, never loop, and never hold more than one frame's worth
    /// (header + maxFrameSize) while waiting for more bytes.
    func testRandomizedInputsNeverCrashLoopOrOverbuffer() {
        var rng = SeededGenerator(seed: 0x7A11_7A11)
        let maxFrameSize = 512
        var framesSeen = 0
        var errorsSeen = 0
        for iteration in 0..<20_000 {
            var bytes: [UInt8]
            switch iteration % 4 {
            case 0:  // pure noise, with a bias to small lengths in the first bytes
                bytes = (0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if bytes.count > 3 && Bool.random(using: &rng) { bytes[0] = 0; bytes[1] = 0 }
            case 1:  // a valid stream, truncated
                bytes = sampleStream(using: &rng, frames: Int.random(in: 1...5, using: &rng), maxPayload: 600).0
                bytes.removeLast(Int.random(in: 0...bytes.count, using: &rng))
            case 2:  // a valid stream with a few bytes flipped
                bytes = sampleStream(using: &rng, frames: Int.random(in: 1...5, using: &rng), maxPayload: 100).0
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let index = Int.random(in: 0..<bytes.count, using: &rng)
                    bytes[index] ^= UInt8.random(in: 1...255, using: &rng)
                }
            default:  // a valid stream with bytes inserted or deleted
                bytes = sampleStream(using: &rng, frames: Int.random(in: 1...5, using: &rng), maxPayload: 100).0
                let index = Int.random(in: 0..<bytes.count, using: &rng)
                if Bool.random(using: &rng) {
                    bytes.insert(UInt8.random(in: 0...255, using: &rng), at: index)
                } else {
                    bytes.remove(at: index)
                }
            }
            let reference = referenceDecode(bytes, maxFrameSize: maxFrameSize)
            let splits = randomSplits(count: bytes.count, maxChunk: Int.random(in: 1...80, using: &rng), using: &rng)
            let outcome = decode(bytes, chunkSizes: splits, maxFrameSize: maxFrameSize)
            guard outcome == reference else {
                return XCTFail("iteration \(iteration): \(outcome) but expected \(reference); input \(bytes.hex)")
            }
            XCTAssertLessThan(outcome.peakBuffered, Frame.headerSize + maxFrameSize, "iteration \(iteration)")
            framesSeen += outcome.frames.count
            errorsSeen += outcome.error == nil ? 0 : 1
        }
        // The generator must actually exercise both paths, or the test proves little.
        XCTAssertGreaterThan(framesSeen, 10_000)
        XCTAssertGreaterThan(errorsSeen, 1_000)
    }
}
