import SwiftProtobuf

// Lean views of `tally.v1.WatchEvent` for the benchmark's watchers: they decode only the change's
// sequence and keep the rest as unknown bytes, so the load generator spends its CPU on receiving
// rather than on decoding dashboards (real watchers run on other machines). Field numbers follow
// Protocol/tally.proto: WatchEvent.change = 2, ChangeEvent.change = 1, Change.sequence = 1.

/// `tally.v1.WatchEvent`, reduced to its `change` field.
struct BenchWatchEvent: Sendable {
    var change: BenchChangeEvent?
    var unknownFields = UnknownStorage()
}

/// `tally.v1.ChangeEvent`, reduced to its `change` field.
struct BenchChangeEvent: Sendable {
    var change: BenchChange?
    var unknownFields = UnknownStorage()
}

/// `tally.v1.Change`, reduced to its `sequence` field.
struct BenchChange: Sendable {
    var sequence: Int64 = 0
    var unknownFields = UnknownStorage()
}

extension BenchWatchEvent: Message, _MessageImplementationBase, _ProtoNameProviding {
    static let protoMessageName = "tally.v1.WatchEvent"
    static let _protobuf_nameMap = _NameMap(bytecode: "\0\u{1}snapshot\0\u{1}change\0")

    mutating func decodeMessage<D: Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            if field == 2 { try decoder.decodeSingularMessageField(value: &change) }
        }
    }

    func traverse<V: Visitor>(visitor: inout V) throws {
        if let change { try visitor.visitSingularMessageField(value: change, fieldNumber: 2) }
        try unknownFields.traverse(visitor: &visitor)
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.change == rhs.change && lhs.unknownFields == rhs.unknownFields
    }
}

extension BenchChangeEvent: Message, _MessageImplementationBase, _ProtoNameProviding {
    static let protoMessageName = "tally.v1.ChangeEvent"
    static let _protobuf_nameMap = _NameMap(bytecode: "\0\u{1}change\0")

    mutating func decodeMessage<D: Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            if field == 1 { try decoder.decodeSingularMessageField(value: &change) }
        }
    }

    func traverse<V: Visitor>(visitor: inout V) throws {
        if let change { try visitor.visitSingularMessageField(value: change, fieldNumber: 1) }
        try unknownFields.traverse(visitor: &visitor)
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.change == rhs.change && lhs.unknownFields == rhs.unknownFields
    }
}

extension BenchChange: Message, _MessageImplementationBase, _ProtoNameProviding {
    static let protoMessageName = "tally.v1.Change"
    static let _protobuf_nameMap = _NameMap(bytecode: "\0\u{1}sequence\0")

    mutating func decodeMessage<D: Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            if field == 1 { try decoder.decodeSingularInt64Field(value: &sequence) }
        }
    }

    func traverse<V: Visitor>(visitor: inout V) throws {
        if sequence != 0 { try visitor.visitSingularInt64Field(value: sequence, fieldNumber: 1) }
        try unknownFields.traverse(visitor: &visitor)
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.sequence == rhs.sequence && lhs.unknownFields == rhs.unknownFields
    }
}
