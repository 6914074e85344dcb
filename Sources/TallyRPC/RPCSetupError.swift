/// A start-up or configuration failure (bind, listen, address resolution), kept apart from call errors.
public struct RPCSetupError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, for people.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
