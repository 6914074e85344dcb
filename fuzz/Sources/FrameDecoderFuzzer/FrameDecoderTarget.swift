import SwiftProtobuf
import TallyWire

/// libFuzzer's entry point: one input is one byte stream as a peer would send it.
///
/// Checks, trapping on any violation so libFuzzer records a crasher:
/// - a leading preface is taken with `takeBytes`, the rest is decoded with limit 1024;
/// - decoding all at once and in input-derived splits gives the same frames and the same error;
/// - while waiting for bytes the decoder never holds more than one header + maxFrameSize;
/// - payloads of HELLO, CALL, STATUS and GOAWAY go through the protobuf decoders (errors are fine);
/// - the same input drives both connection state machines (see ``ConnectionFuzz``).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrameDecoder(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: start, count: count))
    var bytes = input[...]
    if bytes.starts(with: Preface.bytes) { bytes = bytes.dropFirst(Preface.count) }
    let stream = Array(bytes)
    let limit = 1024

    let whole = FuzzDecode.run(stream, chunk: { _ in stream.count }, limit: limit)
    // Split sizes 1...16 derived from the input itself, so a crasher replays exactly.
    let split = FuzzDecode.run(stream, chunk: { Int(input[$0 % input.count] & 0x0F) + 1 }, limit: limit)
    precondition(whole.frames == split.frames && whole.error == split.error, "split changed the result")
    precondition(split.peakBuffered < Frame.headerSize + limit, "decoder buffered \(split.peakBuffered) bytes")

    for frame in whole.frames {
        switch frame.type {
        case .hello: _ = try? Tally_Wire_V1_Hello(serializedBytes: frame.payload)
        case .call: _ = try? Tally_Wire_V1_CallHeader(serializedBytes: frame.payload)
        case .status: _ = try? Tally_Wire_V1_Status(serializedBytes: frame.payload)
        case .goAway: _ = try? Tally_Wire_V1_GoAway(serializedBytes: frame.payload)
        default: break
        }
    }
    // The connection state machines, server and client side, driven by the same input.
    ConnectionFuzz.run(input)
    return 0
}

/// Drives a FrameDecoder over a stream in chunks.
enum FuzzDecode {
    struct Outcome {
        var frames: [Frame] = []
        var error: WireError?
        var peakBuffered = 0
    }

    static func run(_ stream: [UInt8], chunk: (Int) -> Int, limit: Int) -> Outcome {
        var decoder = FrameDecoder(maxFrameSize: limit)
        var outcome = Outcome()
        var offset = 0
        var round = 0
        while offset < stream.count {
            let size = min(chunk(round), stream.count - offset)
            round += 1
            decoder.append(stream[offset..<(offset + size)])
            offset += size
            do {
                while let frame = try decoder.next() {
                    outcome.frames.append(frame)
                    precondition(outcome.frames.count <= stream.count / Frame.headerSize, "decoder loops")
                }
            } catch {
                outcome.error = error
                return outcome
            }
            outcome.peakBuffered = max(outcome.peakBuffered, decoder.bufferedByteCount)
        }
        return outcome
    }
}
