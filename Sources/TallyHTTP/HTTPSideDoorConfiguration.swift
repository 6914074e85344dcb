/// Where the operator's HTTP side door listens and how it treats sessions.
public struct HTTPSideDoorConfiguration: Sendable {
    /// Address to listen on (default loopback).
    public var host: String = "127.0.0.1"
    /// Port; 0 picks a free one.
    public var port: Int = 7480
    /// Marks the session cookie `Secure` (set when a TLS proxy fronts the side door).
    public var secureCookies = false
    /// `/readyz` answers 503 while the in-memory totals are more than this many changes behind the log.
    public var readyLag: Int64 = 1_000

    public init(host: String = "127.0.0.1", port: Int = 7480) {
        self.host = host
        self.port = port
    }
}
