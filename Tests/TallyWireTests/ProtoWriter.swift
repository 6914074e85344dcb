/// A minimal protobuf encoder for the tally.proto messages in the vectors, which TallyWireTests
/// cannot import (TallyMessages is another layer). Proto3 rules: defaults omitted, field order kept.
struct ProtoWriter {
    private(set) var bytes: [UInt8] = []

    private mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func int(_ field: UInt64, _ value: Int64) {
        guard value != 0 else { return }
        varint(field << 3)
        varint(UInt64(bitPattern: value))
    }

    mutating func bytes(_ field: UInt64, _ value: [UInt8]) {
        guard !value.isEmpty else { return }
        varint(field << 3 | 2)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ field: UInt64, _ value: String) { bytes(field, Array(value.utf8)) }
}

/// The `tally.v1.WatchEvent{change: ChangeEvent{change: Change{...}}}` of server-streaming.hex.
func watchChangeEvent(sequence: Int64, oldValue: String, newValue: String) -> [UInt8] {
    var change = ProtoWriter()
    change.int(1, sequence)
    change.string(5, "target")
    change.string(6, "yinzhu/patents")
    change.string(7, "current_figure")
    change.string(8, oldValue)
    change.string(9, newValue)
    var changeEvent = ProtoWriter()
    changeEvent.bytes(1, change.bytes)
    var watchEvent = ProtoWriter()
    watchEvent.bytes(2, changeEvent.bytes)
    return watchEvent.bytes
}

/// `tally.v1.WatchRequest{after_sequence: n}`.
func watchRequest(afterSequence: Int64) -> [UInt8] {
    var writer = ProtoWriter()
    writer.int(1, afterSequence)
    return writer.bytes
}
