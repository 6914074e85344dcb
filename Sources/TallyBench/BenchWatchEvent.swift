import Foundation
import SwiftProtobuf

/// A lean view of `tally.v1.WatchEvent` for the benchmark's watchers: it reads only the change's
/// sequence, so the load generator spends its CPU on receiving rather than on decoding dashboards
/// (real watchers run on other machines). Field numbers follow Protocol/tally.proto:
/// WatchEvent.change = 2, ChangeEvent.change = 1, Change.sequence = 1.
///
/// The change is taken as one bytes field and its sequence read from it by hand: a reduced
/// SwiftProtobuf message would keep every field it does not know as unknown bytes, appended field
/// by field (a fifth of the load generator's CPU in a profile of the updates phase).
struct BenchWatchEvent: Sendable {
    /// The change's sequence; nil for an event without a change (a snapshot).
    var sequence: Int64?
    var unknownFields = UnknownStorage()

    /// `ChangeEvent.change.sequence` in a serialized ChangeEvent, or nil.
    static func sequence(inChangeEvent bytes: Data) -> Int64? {
        var reader = WireReader(bytes: bytes)
        guard let change = reader.lengthDelimited(field: 1) else { return nil }
        var inner = WireReader(bytes: change)
        return inner.varint(field: 1).map { Int64(bitPattern: $0) } ?? 0
    }

    /// Walks protobuf wire format (tag, value) pairs, skipping what is not asked for.
    private struct WireReader {
        let bytes: Data
        var index: Data.Index

        init(bytes: Data) {
            self.bytes = bytes
            index = bytes.startIndex
        }

        mutating func readVarint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.endIndex, shift < 64 {
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
                guard let length = readVarint(), length <= UInt64(bytes.endIndex - index) else { return false }
                index += Int(length)
            case 5: index += 4
            default: return false
            }
            return index <= bytes.endIndex
        }

        /// The first length-delimited value of `field`.
        mutating func lengthDelimited(field: UInt64) -> Data? {
            while let key = readVarint() {
                if key >> 3 == field && key & 7 == 2 {
                    guard let length = readVarint(), length <= UInt64(bytes.endIndex - index) else { return nil }
                    return bytes[index..<(index + Int(length))]
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

extension BenchWatchEvent: Message, _MessageImplementationBase, _ProtoNameProviding {
    static let protoMessageName = "tally.v1.WatchEvent"
    static let _protobuf_nameMap = _NameMap(bytecode: "\0\u{1}snapshot\0\u{1}change\0")

    mutating func decodeMessage<D: Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            if field == 2 {
                var change = Data()
                try decoder.decodeSingularBytesField(value: &change)
                sequence = Self.sequence(inChangeEvent: change)
            }
        }
    }

    func traverse<V: Visitor>(visitor: inout V) throws {
        try unknownFields.traverse(visitor: &visitor)
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.sequence == rhs.sequence && lhs.unknownFields == rhs.unknownFields
    }
}
