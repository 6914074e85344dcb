/// Transport security of a ``ServerCore``: the plaintext-beyond-loopback rule and TLS reloading.
extension ServerCore {
    /// Refuses plaintext on an address other than loopback unless the configuration allows it, and
    /// then marks every Health/Check answer as insecure.
    func checkTransportSecurity(_ addresses: [SocketAddress]) throws(RPCSetupError) {
        let plaintextBeyondLoopback = try ListenerSecurity.check(
            addresses, host: configuration.host, usesTLS: configuration.tls != nil,
            allowsPlaintext: configuration.allowsPlaintextBeyondLoopback, listener: "tokens")
        guard plaintextBeyondLoopback else { return }
        logger.warning(
            "serving PLAINTEXT beyond loopback: tokens and data cross the network unencrypted",
            metadata: ["host": "\(configuration.host)"])
        healthCheckMetadata = ServerConfiguration.insecureTransportMetadata
    }

    /// Loads the certificate chain and key (and client CA) again; new connections use them, open
    /// connections keep the session they have. On failure the previous context stays in use.
    func reloadTLS(_ tls: TLSServerConfiguration) throws(RPCSetupError) {
        let context = try TLSContext.server(tls)
        tlsContext.withLock { $0 = context }
        logger.info("TLS certificate loaded", metadata: ["certificate": "\(tls.certificateFile)"])
    }
}
