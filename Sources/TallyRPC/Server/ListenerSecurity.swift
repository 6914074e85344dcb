/// The rule every Tally listener follows (the RPC listener and the HTTP side door alike): plaintext
/// only on loopback, unless the operator allows it explicitly, since bearer tokens and session
/// cookies would otherwise cross the network in clear.
public enum ListenerSecurity {
    /// Throws ``RPCSetupError`` when `host` resolves to an address beyond loopback, the listener has
    /// no TLS and plaintext was not allowed; returns true when it will serve plaintext beyond
    /// loopback (the caller then says so at warning level).
    @discardableResult
    public static func check(host: String, port: Int, usesTLS: Bool, allowsPlaintext: Bool, listener: String) throws -> Bool {
        try check(SocketAddress.resolve(host: host, port: port, passive: true), host: host, usesTLS: usesTLS,
                  allowsPlaintext: allowsPlaintext, listener: listener)
    }

    static func check(_ addresses: [SocketAddress], host: String, usesTLS: Bool, allowsPlaintext: Bool,
                      listener: String) throws(RPCSetupError) -> Bool {
        guard !usesTLS, !addresses.allSatisfy(\.isLoopback) else { return false }
        guard allowsPlaintext else {
            throw RPCSetupError(
                "refusing to listen on \(host) without TLS: \(listener) would cross the network in clear "
                    + "(give a TLS certificate and key, or allow insecure plaintext explicitly)")
        }
        return true
    }
}
