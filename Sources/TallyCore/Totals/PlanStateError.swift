/// Why a change could not be applied to the in-memory plan state.
public struct PlanStateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure; `sequenceGap` means changes were missed and the state must be reloaded.
    public enum Code: String, Sendable, Hashable {
        case sequenceGap = "sequence_gap"
        case badEntity = "bad_entity"
        case unknownField = "unknown_field"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
