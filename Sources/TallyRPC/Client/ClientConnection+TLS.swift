/// TLS for a ``ClientConnection``: a session per connection attempt, and failures named for people.
extension ClientConnection {
    /// A session verifying the configured server name (or the host connected to); nil without TLS.
    func makeTLSSession() throws -> TLSSession? {
        guard let context = try core?.tlsContextForConnection(), let tls = configuration.tls else { return nil }
        return try TLSSession(context: context, serverName: tls.serverName ?? configuration.host)
    }

    /// The message calls fail with when the connection ends: TLS failures say why the server was not
    /// trusted; an ending before the Tally handshake hints at a TLS/plaintext mismatch.
    func lostMessage(_ error: (any Error)?, establishedTLS: Bool?) -> String {
        if let error = error as? TLSError {
            var message = "cannot connect securely to \(target): \(error)"
            if establishedTLS == false,
                error.message.contains("wrong version number") || error.message.contains("packet length too long")
                    || error.message.contains("record layer failure")
            {
                message += " (the server does not seem to speak TLS; connect without it, or check the port)"
            }
            return message
        }
        if establishedTLS == false {
            return "connection to \(target) closed during the TLS handshake (the server does not seem to speak TLS "
                + "on this port, or it refused our certificate)"
        }
        var message = "connection to \(target) lost"
        if let error { message += ": \(error)" }
        if !handshakeCompleted && establishedTLS == nil {
            message += " before the Tally handshake (if the server requires TLS, connect with TLS)"
        }
        return message
    }
}
