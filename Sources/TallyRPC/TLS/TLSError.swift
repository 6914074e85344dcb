internal import COpenSSL

/// A failed TLS handshake or record: what failed, in OpenSSL's words, and the certificate
/// verification result when that was the cause ("certificate has expired", "hostname mismatch").
public struct TLSError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, for people.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// Empties OpenSSL's error queue of this thread and names its first (most specific) entry.
    static func drainQueue(_ context: String) -> TLSError {
        var reasons: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            if let text = ERR_reason_error_string(code) {
                reasons.append(String(cString: text))
            } else {
                reasons.append("OpenSSL error \(code)")
            }
        }
        return TLSError(reasons.isEmpty ? context : "\(context): \(reasons[0])")
    }

    /// Clears OpenSSL's error queue of this thread (before a call whose failure we inspect).
    static func clearQueue() {
        ERR_clear_error()
    }
}
