import Logging

/// What a handler knows about its call besides the request: method, metadata, peer, deadline, a logger.
public struct ServerContext: Sendable {
    /// "/tally.v1.Service/Method".
    public var method: String
    /// The call's metadata (keys lower-case), e.g. "authorization": "Bearer <token>". Never log the values.
    public var metadata: [String: String]
    /// The client's address, "127.0.0.1:53211".
    public var peer: String
    /// When the caller stops waiting (from timeout_ms); the handler's Task is cancelled then.
    public var deadline: ContinuousClock.Instant?
    /// A logger with peer, stream and method metadata.
    public var logger: Logger
    /// SHA-256 (lower-case hex, of the DER) of the client's TLS certificate, when it presented one
    /// (mutual TLS); credentials bound to a certificate compare against it.
    public var clientCertificateSHA256: String?

    public init(
        method: String, metadata: [String: String], peer: String, deadline: ContinuousClock.Instant?,
        logger: Logger
    ) {
        self.method = method
        self.metadata = metadata
        self.peer = peer
        self.deadline = deadline
        self.logger = logger
    }
}
