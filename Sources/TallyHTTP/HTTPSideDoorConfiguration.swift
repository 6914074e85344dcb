import TallyCore

/// Where the operator's HTTP side door listens, its TLS, and how it treats sessions.
public struct HTTPSideDoorConfiguration: Sendable {
    /// Address to listen on (default loopback).
    public var host: String = "127.0.0.1"
    /// Port; 0 picks a free one.
    public var port: Int = 7480
    /// TLS from the same files as the RPC listener's (certificate chain, key, optional client CA);
    /// nil serves plaintext, allowed on loopback only unless `allowsPlaintextBeyondLoopback`.
    public var tls: TLSServerConfiguration?
    /// Serve plaintext HTTP on a non-loopback address (`--insecure-plaintext`); said at warning level.
    public var allowsPlaintextBeyondLoopback = false
    /// Marks the session cookie `Secure` even without ``tls`` (a TLS proxy fronts the side door).
    /// With ``tls`` it is always `Secure`.
    public var secureCookies = false
    /// How long a web session lasts from login (it ends earlier at logout or revocation).
    public var sessionLifetime: Duration = .seconds(24 * 3600)
    /// Open HTTP connections (event streams included) above which a warning is logged.
    public var connectionWarningThreshold = 256
    /// `/readyz` answers 503 while the in-memory totals are more than this many changes behind the log.
    public var readyLag: Int64 = 1_000

    public init(host: String = "127.0.0.1", port: Int = 7480) {
        self.host = host
        self.port = port
    }

    /// Whether the session cookie carries `Secure`.
    var cookiesAreSecure: Bool { secureCookies || tls != nil }
}
