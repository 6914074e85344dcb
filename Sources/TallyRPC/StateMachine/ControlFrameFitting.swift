import SwiftProtobuf
import TallyWire

/// STATUS and GOAWAY payloads cut to the peer's max_frame_size: the message is shortened first
/// (ending in "…"), then metadata is dropped, then the message; the code (and GOAWAY's
/// last_stream_id) always stays. SPEC §8.
enum ControlFrameFitting {
    static func status(code: StatusCode, message: String, metadata: [String: String], limit: Int) -> [UInt8] {
        var status = Tally_Wire_V1_Status()
        status.code = code.rawValue
        status.message = message
        status.metadata = metadata
        if let bytes = fitted(&status, limit: limit) { return bytes }
        status.metadata = [:]
        if let bytes = fitted(&status, limit: limit) { return bytes }
        status.message = ""
        return serialized(status)
    }

    static func goAway(lastStreamID: UInt32, code: StatusCode, message: String, limit: Int) -> [UInt8] {
        var goAway = Tally_Wire_V1_GoAway()
        goAway.lastStreamID = lastStreamID
        goAway.code = code.rawValue
        goAway.message = message
        if let bytes = fitted(&goAway, limit: limit) { return bytes }
        goAway.message = ""
        return serialized(goAway)
    }

    /// The message's bytes when they fit `limit`, after shortening its `message` field if needed;
    /// nil when even an empty message does not fit.
    private static func fitted<M: ControlMessage>(_ value: inout M, limit: Int) -> [UInt8]? {
        let whole = serialized(value)
        if whole.count <= limit { return whole }
        let message = value.message
        value.message = ""
        let rest = serialized(value).count
        // The message field costs its text, a tag byte and a length varint (at most 5 bytes).
        let budget = limit - rest - 1 - varintSize(message.utf8.count)
        value.message = budget > 0 ? StatusText.truncated(message, maxBytes: budget) : ""
        let bytes = serialized(value)
        guard budget > 0, bytes.count <= limit else {
            value.message = message  // left for the next, smaller attempt
            return nil
        }
        return bytes
    }

    private static func varintSize(_ value: Int) -> Int {
        var size = 1
        var rest = value >> 7
        while rest > 0 {
            size += 1
            rest >>= 7
        }
        return size
    }

    /// Serializing our own well-formed wire messages cannot fail; an empty payload is the fallback.
    private static func serialized(_ message: some SwiftProtobuf.Message) -> [UInt8] {
        (try? message.serializedBytes()) ?? []
    }
}

/// The wire messages that carry a human-readable `message`.
protocol ControlMessage: SwiftProtobuf.Message {
    var message: String { get set }
}

extension Tally_Wire_V1_Status: ControlMessage {}
extension Tally_Wire_V1_GoAway: ControlMessage {}
