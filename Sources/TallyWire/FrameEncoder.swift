/// Appends frames to a byte buffer in wire layout. Reuse one buffer to avoid per-frame allocation.
public enum FrameEncoder {
    /// Appends the 10-byte header for a payload of `length` bytes.
    @inlinable
    public static func appendHeader(
        type: FrameType, flags: FrameFlags, stream: UInt32, length: Int, to buffer: inout [UInt8]
    ) {
        let length = UInt32(truncatingIfNeeded: length)
        buffer.append(UInt8(truncatingIfNeeded: length >> 24))
        buffer.append(UInt8(truncatingIfNeeded: length >> 16))
        buffer.append(UInt8(truncatingIfNeeded: length >> 8))
        buffer.append(UInt8(truncatingIfNeeded: length))
        buffer.append(type.rawValue)
        buffer.append(flags.rawValue)
        buffer.append(UInt8(truncatingIfNeeded: stream >> 24))
        buffer.append(UInt8(truncatingIfNeeded: stream >> 16))
        buffer.append(UInt8(truncatingIfNeeded: stream >> 8))
        buffer.append(UInt8(truncatingIfNeeded: stream))
    }

    /// Appends a whole frame (header and payload).
    @inlinable
    public static func append(_ frame: Frame, to buffer: inout [UInt8]) {
        appendHeader(
            type: frame.type, flags: frame.flags, stream: frame.stream, length: frame.payload.count,
            to: &buffer)
        buffer.append(contentsOf: frame.payload)
    }

    /// Appends a frame whose payload is given separately, without building a `Frame`.
    @inlinable
    public static func append<Payload: Collection<UInt8>>(
        type: FrameType, flags: FrameFlags = [], stream: UInt32, payload: Payload, to buffer: inout [UInt8]
    ) {
        appendHeader(type: type, flags: flags, stream: stream, length: payload.count, to: &buffer)
        buffer.append(contentsOf: payload)
    }

    /// The bytes of one frame.
    public static func encode(_ frame: Frame) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(Frame.headerSize + frame.payload.count)
        append(frame, to: &buffer)
        return buffer
    }
}
