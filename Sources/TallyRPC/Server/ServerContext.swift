import Logging
import TallyWire

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
    /// Who is calling, as an ``AuthenticationInterceptor`` resolved it; nil for open methods.
    public var principal: (any Sendable)?

    public init(
        method: String, metadata: [String: String], peer: String, deadline: ContinuousClock.Instant?,
        logger: Logger
    ) {
        self.method = method
        self.metadata = metadata
        self.peer = peer
        self.deadline = deadline
        self.logger = logger
        self.principal = nil
    }

    /// The principal an ``AuthenticationInterceptor`` set, as the type its resolver gives; INTERNAL
    /// when there is none (the method was registered as open but its handler wants a caller).
    public func principal<Principal: Sendable>(as type: Principal.Type) throws(RPCError) -> Principal {
        guard let principal = principal as? Principal else {
            throw RPCError(.internalError, "\(method) has no authenticated caller")
        }
        return principal
    }
}
