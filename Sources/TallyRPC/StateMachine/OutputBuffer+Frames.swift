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

    mutating func appendStatus(stream: UInt32, code: StatusCode, message: String, metadata: [String: String] = [:]) {
        if code == .ok && message.isEmpty && metadata.isEmpty {
            appendFrame(.status, stream: stream)  // proto3 encodes an all-default Status as no bytes
            return
        }
        var status = Tally_Wire_V1_Status()
        status.code = code.rawValue
        status.message = message
        status.metadata = metadata
        appendFrame(.status, stream: stream, message: status)
    }

    mutating func appendGoAway(lastStreamID: UInt32, code: StatusCode, message: String) {
        var goAway = Tally_Wire_V1_GoAway()
        goAway.lastStreamID = lastStreamID
        goAway.code = code.rawValue
        goAway.message = message
        appendFrame(.goAway, stream: 0, message: goAway)
    }
}
