import TallyWire

/// A small seeded generator (SplitMix64), so randomized tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What a decoder made of a byte stream: the frames, the error that stopped it, and the bytes left over.
struct DecodeOutcome: Equatable, CustomStringConvertible {
    var frames: [Frame] = []
    var error: WireError?
    var leftover = 0
    /// Largest `bufferedByteCount` seen after draining, i.e. what the decoder held while waiting.
    var peakBuffered = 0

    static func == (lhs: DecodeOutcome, rhs: DecodeOutcome) -> Bool {
        lhs.frames == rhs.frames && lhs.error == rhs.error && lhs.leftover == rhs.leftover
    }

    var description: String {
        "\(frames.count) frames, error: \(error.map { "\($0)" } ?? "none"), leftover: \(leftover)"
    }
}

/// Feeds `bytes` to a fresh decoder in chunks of the given sizes (the last chunk takes the rest),
/// draining after every chunk, the way a connection does.
func decode(_ bytes: [UInt8], chunkSizes: [Int], maxFrameSize: Int) -> DecodeOutcome {
    var decoder = FrameDecoder(maxFrameSize: maxFrameSize)
    var outcome = DecodeOutcome()
    var offset = 0
    var sizes = chunkSizes.makeIterator()
    while offset < bytes.count {
        let size = min(max(sizes.next() ?? bytes.count, 1), bytes.count - offset)
        decoder.append(bytes[offset..<(offset + size)])
        offset += size
        do {
            // Each frame consumes at least a header, so this loop is bounded; check it anyway.
            var rounds = 0
            while let frame = try decoder.next() {
                outcome.frames.append(frame)
                rounds += 1
                precondition(rounds <= size / Frame.headerSize + bytes.count, "decoder loops")
            }
        } catch {
            outcome.error = error
            outcome.leftover = bytes.count - offset + decoder.bufferedByteCount
            return outcome
        }
        outcome.peakBuffered = max(outcome.peakBuffered, decoder.bufferedByteCount)
    }
    outcome.leftover = decoder.bufferedByteCount
    return outcome
}

/// Feeds everything at once.
func decodeAllAtOnce(_ bytes: [UInt8], maxFrameSize: Int) -> DecodeOutcome {
    decode(bytes, chunkSizes: [bytes.count], maxFrameSize: maxFrameSize)
}

/// Feeds one byte at a time.
func decodeByteByByte(_ bytes: [UInt8], maxFrameSize: Int) -> DecodeOutcome {
    decode(bytes, chunkSizes: Array(repeating: 1, count: bytes.count), maxFrameSize: maxFrameSize)
}

/// Random chunk sizes from 1 to `maxChunk` covering `count` bytes.
func randomSplits(count: Int, maxChunk: Int, using rng: inout SeededGenerator) -> [Int] {
    var sizes: [Int] = []
    var total = 0
    while total < count {
        let size = Int.random(in: 1...max(1, maxChunk), using: &rng)
        sizes.append(size)
        total += size
    }
    return sizes
}

/// An independent, obviously correct decoder over a whole byte array, to check FrameDecoder against.
func referenceDecode(_ bytes: [UInt8], maxFrameSize: Int) -> DecodeOutcome {
    var outcome = DecodeOutcome()
    var offset = 0
    while bytes.count - offset >= Frame.headerSize {
        let be32 = { (at: Int) -> Int in
            Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
        }
        let length = be32(offset)
        if length > maxFrameSize {
            outcome.error = .frameTooLarge(length: length, limit: maxFrameSize)
            break
        }
        guard bytes.count - offset - Frame.headerSize >= length else { break }
        let start = offset + Frame.headerSize
        outcome.frames.append(
            Frame(
                type: FrameType(rawValue: bytes[offset + 4]), flags: FrameFlags(rawValue: bytes[offset + 5]),
                stream: UInt32(be32(offset + 6)), payload: Array(bytes[start..<(start + length)])))
        offset = start + length
    }
    outcome.leftover = bytes.count - offset
    return outcome
}

extension Array where Element == UInt8 {
    /// Lower-case hex without separators.
    var hex: String { map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }

    /// Parses hex digits, ignoring whitespace; nil on any other character or an odd digit count.
    init?(hex: some StringProtocol) {
        var bytes: [UInt8] = []
        var high: UInt8?
        for character in hex where !character.isWhitespace {
            guard let nibble = character.hexDigitValue.map(UInt8.init) else { return nil }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard high == nil else { return nil }
        self = bytes
    }
}
