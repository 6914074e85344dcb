/// A local failure of the outbox itself (its file, its contents), as opposed to a server's answer.
public struct OutboxError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
