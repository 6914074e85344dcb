import TallyRPC
import TallyWire

/// TLS settings of a client (CA file, server name, client certificate), from the RPC layer.
public typealias TLSClientConfiguration = TallyRPC.TLSClientConfiguration

/// How a ``TallyClient`` protects its connection: TLS with server verification, or plaintext, which
/// carries a token only to a loopback address unless explicitly allowed.
public struct ClientSecurity: Sendable, Hashable {
    /// TLS settings; nil means plaintext.
    public var tls: TLSClientConfiguration?
    /// Send the token over plaintext to an address other than loopback (`--insecure-plaintext`).
    public var allowsTokenInClearBeyondLoopback: Bool

    public init(tls: TLSClientConfiguration? = nil, allowsTokenInClearBeyondLoopback: Bool = false) {
        self.tls = tls
        self.allowsTokenInClearBeyondLoopback = allowsTokenInClearBeyondLoopback
    }

    /// Plaintext; a token goes to loopback addresses only.
    public static let plaintext = ClientSecurity()

    /// TLS verifying the server with `configuration` (default: the system's CAs and the host's name).
    public static func tls(_ configuration: TLSClientConfiguration = TLSClientConfiguration()) -> ClientSecurity {
        ClientSecurity(tls: configuration)
    }

    /// The error every authenticated call fails with when the token would cross the network in clear.
    func tokenRefusal(_ configuration: ClientConfiguration, hasToken: Bool) -> RPCError? {
        guard hasToken, tls == nil, !allowsTokenInClearBeyondLoopback, !configuration.targetsLoopback else { return nil }
        return RPCError(
            .failedPrecondition,
            "refusing to send the token in clear to \(ServerAddress(host: configuration.host, port: configuration.port)): "
                + "connect with TLS, or allow insecure plaintext explicitly")
    }
}
