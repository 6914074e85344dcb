/// The kind of a frame: an open set of one-byte codes, so that unknown types can be carried and ignored.
public struct FrameType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Handshake, stream 0, once per side: a `Hello` payload.
    public static let hello = FrameType(rawValue: 0x01)
    /// Client→server: opens a call on a new stream with a `CallHeader` payload.
    public static let call = FrameType(rawValue: 0x02)
    /// A request or response message of the call's method.
    public static let message = FrameType(rawValue: 0x03)
    /// Server→client: ends a call with a `Status` payload.
    public static let status = FrameType(rawValue: 0x04)
    /// Client→server: the caller abandons the call.
    public static let cancel = FrameType(rawValue: 0x05)
    /// Stream 0: 8 opaque bytes; answered with the same bytes and the ACK flag.
    public static let ping = FrameType(rawValue: 0x06)
    /// Stream 0: the sender is closing the connection; a `GoAway` payload.
    public static let goAway = FrameType(rawValue: 0x07)

    /// Whether this version of the protocol defines the type (others are ignored on receipt).
    public var isKnown: Bool { (0x01...0x07).contains(rawValue) }

    public var description: String {
        switch self {
        case .hello: "HELLO"
        case .call: "CALL"
        case .message: "MESSAGE"
        case .status: "STATUS"
        case .cancel: "CANCEL"
        case .ping: "PING"
        case .goAway: "GOAWAY"
        default: "UNKNOWN(0x\(String(rawValue, radix: 16)))"
        }
    }
}

/// Per-frame flag bits. Their meaning depends on the frame type.
public struct FrameFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// On MESSAGE: the sender sends no more messages on this stream.
    public static let endStream = FrameFlags(rawValue: 0x01)
    /// On PING: this frame answers a ping.
    public static let ack = FrameFlags(rawValue: 0x01)
}
