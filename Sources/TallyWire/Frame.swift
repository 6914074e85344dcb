/// One protocol frame.
///
/// Layout on the wire (big-endian), a 10-byte header followed by the payload:
///
/// | bytes | field  | meaning                                  |
/// |-------|--------|------------------------------------------|
/// | 0..<4 | length | payload length in bytes (header excluded) |
/// | 4     | type   | ``FrameType``                            |
/// | 5     | flags  | ``FrameFlags``                           |
/// | 6..<10| stream | stream id; 0 for connection frames       |
/// | 10... | payload| `length` bytes                           |
public struct Frame: Hashable, Sendable {
    /// Size of the fixed header in bytes.
    public static let headerSize = 10

    public var type: FrameType
    public var flags: FrameFlags
    public var stream: UInt32
    public var payload: [UInt8]

    public init(type: FrameType, flags: FrameFlags = [], stream: UInt32, payload: [UInt8] = []) {
        self.type = type
        self.flags = flags
        self.stream = stream
        self.payload = payload
    }
}

/// The parsed 10-byte header of a frame, available before its payload has arrived.
public struct FrameHeader: Hashable, Sendable {
    public var length: UInt32
    public var type: FrameType
    public var flags: FrameFlags
    public var stream: UInt32

    public init(length: UInt32, type: FrameType, flags: FrameFlags, stream: UInt32) {
        self.length = length
        self.type = type
        self.flags = flags
        self.stream = stream
    }

    /// Reads a header from the first 10 bytes at `offset`; nil when fewer bytes are available.
    @inlinable
    public static func parse(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> FrameHeader? {
        guard bytes.count - offset >= Frame.headerSize else { return nil }
        let length = UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
        let stream = UInt32(bytes[offset + 6]) << 24 | UInt32(bytes[offset + 7]) << 16
            | UInt32(bytes[offset + 8]) << 8 | UInt32(bytes[offset + 9])
        return FrameHeader(
            length: length, type: FrameType(rawValue: bytes[offset + 4]),
            flags: FrameFlags(rawValue: bytes[offset + 5]), stream: stream)
    }
}
