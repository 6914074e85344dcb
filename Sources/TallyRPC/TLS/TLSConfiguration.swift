/// TLS for an ``RPCServer``: the certificate chain and key it presents, and optionally the CA that
/// client certificates must chain to (mutual TLS). TLS 1.3 is preferred, 1.2 is the floor; ALPN is
/// `tally/1` (``TLSConfiguration/alpn``).
public struct TLSServerConfiguration: Sendable, Hashable {
    /// PEM file with the server certificate first, then any intermediates (a chain is allowed).
    public var certificateFile: String
    /// PEM file with the certificate's private key.
    public var privateKeyFile: String
    /// PEM file of CA certificates; when set, every client must present a certificate chaining to one.
    public var clientCAFile: String?

    public init(certificateFile: String, privateKeyFile: String, clientCAFile: String? = nil) {
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
        self.clientCAFile = clientCAFile
    }
}

/// TLS for an ``RPCClient``: which CAs to trust, the name to verify, and an optional client certificate.
public struct TLSClientConfiguration: Sendable, Hashable {
    /// PEM file of CA certificates the server's chain must lead to; nil trusts the system's store.
    public var caFile: String?
    /// The name (DNS name or IP address) the server certificate must carry; nil means the host connected to.
    public var serverName: String?
    /// PEM certificate (chain allowed) presented when the server asks for one (mutual TLS).
    public var certificateFile: String?
    /// PEM private key of `certificateFile`.
    public var privateKeyFile: String?

    public init(
        caFile: String? = nil, serverName: String? = nil, certificateFile: String? = nil, privateKeyFile: String? = nil
    ) {
        self.caFile = caFile
        self.serverName = serverName
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
    }
}

/// Constants shared by both sides of Tally's TLS.
public enum TLSConfiguration {
    /// The ALPN protocol name both sides offer and require.
    public static let alpn = "tally/1"
}
