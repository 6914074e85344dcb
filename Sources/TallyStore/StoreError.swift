import Foundation

/// An error from the store: a kind, the server's SQLSTATE and texts when there are some.
///
/// `description` is safe to log: it shows neither SQL parameters nor passwords (parameter texts
/// that the server echoed in its message are replaced by `…`). `debugDescription` shows the
/// server's raw message and detail.
public struct StoreError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong, coarsely: decides retries and the mapping to RPC status codes.
    public enum Kind: String, Sendable, Hashable {
        /// No connection could be opened (server down, wrong database, bad password, bad conninfo).
        case connectionFailed
        /// An open connection broke (backend terminated, network loss); the outcome of the
        /// statement in flight is unknown.
        case connectionLost
        /// The server rejected a statement; `sqlState` says why.
        case query
        /// No pooled connection became free within the pool's acquire timeout.
        case poolExhausted
        /// The pool was closed.
        case poolClosed
        /// A value could not be converted to the Swift type asked for.
        case decoding
    }

    public var kind: Kind
    /// The server's five-character error code (`PG_DIAG_SQLSTATE`), when the server sent one.
    public var sqlState: SQLState?
    /// The primary message (the server's, or ours for client-side failures). Setting it also
    /// sets what `description` shows.
    public var message: String {
        didSet { safeMessage = message }
    }
    /// The server's detail text; may contain row values, so it is not part of `description`.
    public var detail: String?
    /// The server's hint, if any.
    public var hint: String?
    /// The constraint involved (e.g. the unique index of a 23505), if the server named one.
    public var constraintName: String?
    /// `message` with parameter texts removed; what `description` shows.
    private var safeMessage: String

    /// Makes an error; `redacting` lists texts (e.g. query parameters) that `description` must not show.
    public init(
        kind: Kind, _ message: String, sqlState: SQLState? = nil, detail: String? = nil,
        hint: String? = nil, constraintName: String? = nil, redacting secrets: [String] = []
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraintName = constraintName
        self.safeMessage = StoreError.redact(message, secrets)
    }

    /// True when the same work may succeed if tried again (on a fresh connection):
    /// connection lost, serialization failure, deadlock, server shutdown/restart, pool exhausted.
    public var isRetryable: Bool {
        switch kind {
        case .connectionLost, .poolExhausted: return true
        case .connectionFailed, .poolClosed, .decoding: return false
        case .query:
            guard let sqlState else { return false }
            return SQLState.retryable.contains(sqlState)
        }
    }

    public var description: String {
        var text = "\(kind.rawValue): \(safeMessage)"
        if let sqlState { text += " (SQLSTATE \(sqlState.rawValue))" }
        if let hint { text += "; hint: \(hint)" }
        return text
    }

    public var debugDescription: String {
        var text = "StoreError(\(kind.rawValue)"
        if let sqlState { text += ", \(sqlState.rawValue)" }
        text += "): \(message)"
        if let detail { text += "; detail: \(detail)" }
        if let hint { text += "; hint: \(hint)" }
        if let constraintName { text += "; constraint: \(constraintName)" }
        return text
    }

    /// The same error with `context` (e.g. "migration 3 failed: ") in front of its message.
    public func prefixed(_ context: String) -> StoreError {
        var copy = self
        let safe = context + safeMessage
        copy.message = context + message
        copy.safeMessage = safe
        return copy
    }

    private static func redact(_ text: String, _ secrets: [String]) -> String {
        var result = text
        for secret in secrets where secret.count >= 3 && result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: "…")
        }
        return result
    }
}
