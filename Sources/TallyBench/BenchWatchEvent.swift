/// Reads a change's sequence straight from a serialized `tally.v1.WatchEvent`, for the benchmark's
/// watchers: they need only the sequence, so the load generator spends its CPU on receiving rather
/// than on decoding dashboards (real watchers run on other machines). Field numbers follow
/// Protocol/tally.proto: WatchEvent.change = 2, ChangeEvent.change = 1, Change.sequence = 1.
///
/// The bytes are walked in place (no copies, no SwiftProtobuf message): decoding even a reduced
/// message kept every field it does not declare as unknown bytes, appended field by field (a fifth
/// of the load generator's CPU in one profile), and taking the change as a bytes field copied it.
enum BenchWatchEvent {
    /// The change's sequence; nil for an event without a change (a snapshot) or malformed bytes.
    static func sequence(inWatchEvent bytes: [UInt8]) -> Int64? {
        bytes.withUnsafeBufferPointer { buffer in
            var event = WireReader(buffer, buffer.indices)
            guard let changeEvent = event.lengthDelimited(field: 2) else { return nil }
            var reader = WireReader(buffer, changeEvent)
            guard let change = reader.lengthDelimited(field: 1) else { return nil }
            var inner = WireReader(buffer, change)
            return Int64(bitPattern: inner.varint(field: 1) ?? 0)
        }
    }

    /// Walks protobuf wire format (tag, value) pairs in a range of a buffer, skipping what is not asked for.
    private struct WireReader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index: Int
        let end: Int

        init(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
            self.bytes = bytes
            index = range.lowerBound
            end = range.upperBound
        }

        mutating func readVarint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while index < end, shift < 64 {
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }

        /// Skips a value of `wireType`; false on malformed input.
        mutating func skip(_ wireType: UInt64) -> Bool {
            switch wireType {
            case 0: return readVarint() != nil
            case 1: index += 8
            case 2:
                guard let length = readVarint(), length <= UInt64(end - index) else { return false }
                index += Int(length)
            case 5: index += 4
            default: return false
            }
            return index <= end
        }

        /// The range of the first length-delimited value of `field`.
        mutating func lengthDelimited(field: UInt64) -> Range<Int>? {
            while let key = readVarint() {
                if key >> 3 == field && key & 7 == 2 {
                    guard let length = readVarint(), length <= UInt64(end - index) else { return nil }
                    return index..<(index + Int(length))
                }
                guard skip(key & 7) else { return nil }
            }
            return nil
        }

        /// The first varint value of `field`.
        mutating func varint(field: UInt64) -> UInt64? {
            while let key = readVarint() {
                if key >> 3 == field && key & 7 == 0 { return readVarint() }
                guard skip(key & 7) else { return nil }
            }
            return nil
        }
    }
}
