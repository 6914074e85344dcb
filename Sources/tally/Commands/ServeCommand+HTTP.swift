import ArgumentParser
import Foundation
import Logging
import TallyClient
import TallyCore
import TallyHTTP
import TallyPresentation
import TallyRPC

/// `tally serve --http ADDR`: the operator's side door beside the RPC listener, and `--log-format`.
struct ServeHTTPOptions: ParsableArguments {
    @Option(name: .long, help: "Also serve the live web dashboard, /metrics, /healthz and /readyz on HOST:PORT (e.g. 127.0.0.1:7480; off unless given): HTTPS with --tls-cert/--tls-key, plain HTTP on loopback (beyond it only with --insecure-plaintext).")
    var http: String?

    @Option(name: .long, help: "Hours a web dashboard login lasts (it ends earlier at logout, when its token is revoked, or when the server stops).")
    var webSessionHours: Int = 24

    @Option(name: .long, help: "Log lines as text (default) or json (one JSON object per line, for collectors).")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        if let http, ServerAddress(parsing: http) == nil { throw ValidationError("--http must be HOST:PORT, e.g. 127.0.0.1:7480") }
        if webSessionHours < 1 { throw ValidationError("--web-session-hours must be at least 1") }
    }

    /// With `--log-format json`, sends every log line to standard error as JSON (before any logger is made).
    func bootstrapLogging() {
        if logFormat == .json { LoggingSystem.bootstrap { JSONLogHandler(label: $0) } }
    }

    /// Starts the side door onto `server` when `--http` was given, with the RPC listener's TLS files
    /// and plaintext rule; returns it and its bound address.
    func startSideDoor(_ server: TallyServer, tls: TLSServeOptions, logger: Logger, lang: Language) async throws -> (HTTPSideDoor, ServerAddress)? {
        guard let http, let address = ServerAddress(parsing: http) else { return nil }
        var configuration = HTTPSideDoorConfiguration(host: address.host, port: address.port)
        configuration.tls = tls.configuration
        configuration.allowsPlaintextBeyondLoopback = tls.insecurePlaintext
        configuration.sessionLifetime = .seconds(webSessionHours * 3600)
        let door = HTTPSideDoor(configuration: configuration, logger: logger, view: { server.operatorView })
        do {
            let port = try await door.start()
            return (door, ServerAddress(host: address.host, port: port))
        } catch let error as RPCSetupError where error.message.hasPrefix("refusing to listen") {
            throw CLIError(.usage, lang.pick(
                zh: "拒绝在非本机地址上以明文提供网页 \(http)：请使用 --tls-cert 与 --tls-key，或明确指定 --insecure-plaintext",
                en: "\(error.message): use --tls-cert FILE --tls-key FILE, or --insecure-plaintext"))
        } catch {
            throw CLIError(.usage, lang.pick(zh: "无法在 \(http) 上提供网页：\(error)", en: "cannot serve HTTP on \(http): \(error)"))
        }
    }
}
