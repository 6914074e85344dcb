import ArgumentParser
import TallyCore

/// TLS flags of `tally serve`: certificate chain and key (reloaded on SIGHUP), the client CA that
/// turns on mutual TLS, and the explicit opt-in to plaintext beyond loopback.
struct TLSServeOptions: ParsableArguments {
    @Option(name: .customLong("tls-cert"), help: "Server certificate, PEM, leaf first then intermediates; reloaded on SIGHUP. Clients then use tallys://HOST:PORT.")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "Private key of --tls-cert, PEM; reloaded on SIGHUP.")
    var tlsKey: String?

    @Option(name: .customLong("client-ca"), help: "CA certificate(s), PEM: require every client to present a certificate issued by one (mutual TLS).")
    var clientCA: String?

    @Flag(name: .long, help: "Serve plaintext on an address other than loopback (unsafe: tokens cross the network in clear).")
    var insecurePlaintext = false

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        if clientCA != nil && tlsCert == nil {
            throw ValidationError("--client-ca needs --tls-cert and --tls-key")
        }
        if insecurePlaintext && tlsCert != nil {
            throw ValidationError("--insecure-plaintext contradicts --tls-cert")
        }
    }

    /// The TLS settings, or nil for plaintext.
    var configuration: TLSServerConfiguration? {
        guard let tlsCert, let tlsKey else { return nil }
        return TLSServerConfiguration(certificateFile: tlsCert, privateKeyFile: tlsKey, clientCAFile: clientCA)
    }
}
