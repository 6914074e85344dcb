import SwiftProtobuf

/// A domain enum that mirrors a wire enum of Protocol/tally.proto case for case: its cases are
/// declared in the wire's order, so the n-th case (from 0) is wire value n + 1, after the wire's
/// UNSPECIFIED zero. The mapping is written once here, not as a switch per enum;
/// `WireEnumMirrorTests` checks each mirror against the generated enum's case names.
public protocol WireEnumMirror: CaseIterable, Equatable where AllCases == [Self] {
    associatedtype Wire: SwiftProtobuf.Enum
}

extension WireEnumMirror {
    /// Position in the declared order, from 0.
    var position: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// The wire enum of this case.
    public var proto: Wire { Wire(rawValue: position + 1) ?? Wire() }

    /// The case of a wire enum; nil for unspecified or unknown values.
    public init?(proto: Wire) {
        let position = proto.rawValue - 1
        guard Self.allCases.indices.contains(position) else { return nil }
        self = Self.allCases[position]
    }
}
