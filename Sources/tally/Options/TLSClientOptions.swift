import ArgumentParser
import TallyClient
import TallyRPC

/// TLS flags of commands that talk to a server: which CAs to trust for a `tallys://` server, an
/// optional client certificate (mutual TLS), and the explicit opt-out for tokens over plaintext.
struct TLSClientOptions: ParsableArguments {
    @Option(name: .long, help: "CA certificate(s), PEM, that a tallys:// server's certificate must chain to (default: the system's CAs). Env: TALLY_CA.")
    var ca: String?

    @Option(name: .long, help: "Client certificate, PEM, for a server that requires one (mutual TLS). Env: TALLY_CERT.")
    var cert: String?

    @Option(name: .long, help: "Private key of --cert, PEM (default: the --cert file). Env: TALLY_KEY.")
    var key: String?

    @Flag(name: .long, help: "Send the token over plaintext to a server not on this host (unsafe: anyone on the network can read it).")
    var insecurePlaintext = false

    /// How to protect the connection to `endpoint`: TLS for `tallys://`, else plaintext.
    func security(for endpoint: ServerEndpoint, _ settings: Settings) throws -> ClientSecurity {
        let lang = settings.language
        let ca = self.ca ?? settings.ca.value
        let cert = self.cert ?? settings.cert.value
        let key = self.key ?? settings.key.value
        guard endpoint.usesTLS else {
            if ca != nil || cert != nil {
                throw CLIError(.usage, lang.pick(
                    zh: "--ca/--cert 仅用于 TLS 服务器：请写成 tallys://\(endpoint.address)",
                    en: "--ca and --cert are for a TLS server: write the server as tallys://\(endpoint.address)"))
            }
            let address = endpoint.address
            if !insecurePlaintext, !(settings.token.value ?? "").isEmpty,
                ClientConfiguration(host: address.host, port: address.port).resolvesBeyondLoopback
            {
                throw CLIError(.usage, lang.pick(
                    zh: "拒绝以明文向 \(address) 发送令牌：请使用 --server tallys://\(address)（配合 --ca），或明确指定 --insecure-plaintext",
                    en: "refusing to send the token in clear to \(address): use --server tallys://\(address) (with --ca), or --insecure-plaintext"))
            }
            return ClientSecurity(allowsTokenInClearBeyondLoopback: insecurePlaintext)
        }
        return .tls(TLSClientConfiguration(caFile: ca, certificateFile: cert, privateKeyFile: key))
    }
}
