import TallyRPC

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

    /// Applies this to a connection's configuration; `hasToken` turns on the loopback-only rule for plaintext.
    func apply(to configuration: inout ClientConfiguration, hasToken: Bool) {
        configuration.tls = tls
        configuration.plaintextToLoopbackOnly = hasToken && tls == nil && !allowsTokenInClearBeyondLoopback
    }
}
