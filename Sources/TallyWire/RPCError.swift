/// The outcome of a call that did not succeed: a status code, a message for people, and metadata.
/// Thrown by handlers to end a call with that status, and by the client when a call ends with it.
///
/// Like grpc-swift's `RPCError`, it may keep the error that caused it (a store or I/O error) in
/// ``cause``: for the server's logs (``debugDescription``), never for the wire, where only the
/// code, message and metadata travel.
public struct RPCError: Error, Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public var code: StatusCode
    public var message: String
    public var metadata: [String: String]
    /// The underlying error, for logs only; not sent, and not part of equality.
    public var cause: (any Error)?

    public init(_ code: StatusCode, _ message: String, metadata: [String: String] = [:], cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.metadata = metadata
        self.cause = cause
    }

    /// "CODE: message", as people read it.
    public var description: String { "\(code.name): \(message)" }

    /// The description followed by the cause, for logs.
    public var debugDescription: String {
        guard let cause else { return description }
        return "\(description) (cause: \(String(reflecting: cause)))"
    }

    public static func == (lhs: RPCError, rhs: RPCError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.metadata == rhs.metadata
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(metadata)
    }
}
