import SwiftProtobuf
import TallyWire

/// Helpers that append encoded frames to an outbound byte buffer without intermediate `Frame` values.
extension Array where Element == UInt8 {
    mutating func appendFrame(_ type: FrameType, flags: FrameFlags = [], stream: UInt32, payload: [UInt8] = []) {
        FrameEncoder.append(type: type, flags: flags, stream: stream, payload: payload, to: &self)
    }

    mutating func appendFrame<M: SwiftProtobuf.Message>(_ type: FrameType, stream: UInt32, message: M) {
        // Serializing our own well-formed wire messages cannot fail; an empty payload is the fallback.
        let payload: [UInt8] = (try? message.serializedBytes()) ?? []
        appendFrame(type, stream: stream, payload: payload)
    }

    /// Appends STATUS, cut to fit `limit` (the peer's max_frame_size) as ``ControlFrameFitting`` says.
    mutating func appendStatus(
        stream: UInt32, code: StatusCode, message: String, metadata: [String: String] = [:], limit: Int
    ) {
        if code == .ok && message.isEmpty && metadata.isEmpty {
            appendFrame(.status, stream: stream)  // proto3 encodes an all-default Status as no bytes
            return
        }
        let payload = ControlFrameFitting.status(code: code, message: message, metadata: metadata, limit: limit)
        appendFrame(.status, stream: stream, payload: payload)
    }

    /// Appends GOAWAY, cut to fit `limit` (the peer's max_frame_size).
    mutating func appendGoAway(lastStreamID: UInt32, code: StatusCode, message: String, limit: Int) {
        let payload = ControlFrameFitting.goAway(lastStreamID: lastStreamID, code: code, message: message, limit: limit)
        appendFrame(.goAway, stream: 0, payload: payload)
    }
}
