/// Splits a byte stream into frames, checking the length limit from the header before buffering a payload.
///
/// Contract (as swift-nio's length-prefix readers): ``next()`` returns nil when more bytes are needed
/// and consumes nothing in that case; it throws only on malformed input, after which the decoder is
/// unusable. Bytes may arrive in any split: byte by byte, all at once, or anything between.
public struct FrameDecoder: Sendable {
    /// Largest accepted payload, in bytes.
    public var maxFrameSize: Int

    private var buffer: [UInt8] = []
    private var readIndex = 0

    public init(maxFrameSize: Int) {
        self.maxFrameSize = maxFrameSize
    }

    /// Bytes received but not yet returned as frames.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Adds received bytes.
    public mutating func append<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        compactIfWorthwhile()
        buffer.append(contentsOf: bytes)
    }

    /// Adds received bytes from raw memory.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compactIfWorthwhile()
        buffer.append(contentsOf: bytes)
    }

    /// Removes and returns exactly `count` leading bytes that are not frames (used for the preface);
    /// nil, consuming nothing, while fewer than `count` bytes are buffered.
    public mutating func takeBytes(_ count: Int) -> [UInt8]? {
        precondition(count >= 0, "takeBytes: negative count \(count)")
        guard bufferedByteCount >= count else { return nil }
        let bytes = Array(buffer[readIndex..<(readIndex + count)])
        readIndex += count
        return bytes
    }

    /// The next complete frame, nil if more bytes are needed.
    /// - Throws: ``WireError/frameTooLarge(length:limit:)`` when the header announces a payload over the limit.
    public mutating func next() throws(WireError) -> Frame? {
        let available = buffer.count - readIndex
        guard available >= Frame.headerSize else { return nil }
        let header = buffer.withUnsafeBytes { FrameHeader.parse($0, at: readIndex) }
        guard let header else { return nil }
        guard Int(header.length) <= maxFrameSize else {
            throw .frameTooLarge(length: Int(header.length), limit: maxFrameSize)
        }
        let total = Frame.headerSize + Int(header.length)
        guard available >= total else { return nil }
        let start = readIndex + Frame.headerSize
        let payload = Array(buffer[start..<(start + Int(header.length))])
        readIndex += total
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 16)
            readIndex = 0
        }
        return Frame(type: header.type, flags: header.flags, stream: header.stream, payload: payload)
    }

    private mutating func compactIfWorthwhile() {
        if readIndex > 0 && (readIndex >= 4096 || readIndex == buffer.count) {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}
