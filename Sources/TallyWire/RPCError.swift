/// The outcome of a call that did not succeed: a status code, a message for people, and metadata.
/// Thrown by handlers to end a call with that status, and by the client when a call ends with it.
public struct RPCError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: StatusCode
    public var message: String
    public var metadata: [String: String]

    public init(_ code: StatusCode, _ message: String, metadata: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.metadata = metadata
    }

    public var description: String { "\(code.name): \(message)" }
}
