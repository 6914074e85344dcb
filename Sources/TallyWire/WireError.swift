/// A violation of the wire protocol. Each maps to a GOAWAY code and message (``goAwayCode``).
public enum WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The first 8 bytes were not `TALLY/1\n`.
    case badPreface
    /// A frame header announced a payload larger than the receiver's limit.
    case frameTooLarge(length: Int, limit: Int)
    /// The frame is not allowed here (e.g. anything but HELLO first, CALL on stream 0).
    case protocolViolation(String)
    /// A HELLO, CALL, STATUS or GOAWAY payload that protobuf cannot decode.
    case undecodablePayload(FrameType)

    public var description: String {
        switch self {
        case .badPreface: "bad preface: expected \"TALLY/1\\n\""
        case .frameTooLarge(let length, let limit):
            "frame of \(length) bytes exceeds the limit of \(limit) bytes"
        case .protocolViolation(let what): "protocol violation: \(what)"
        case .undecodablePayload(let type): "undecodable \(type) payload"
        }
    }

    /// The status code carried in the GOAWAY that reports this error.
    public var goAwayCode: StatusCode {
        switch self {
        case .frameTooLarge: .resourceExhausted
        case .badPreface, .protocolViolation, .undecodablePayload: .invalidArgument
        }
    }
}
