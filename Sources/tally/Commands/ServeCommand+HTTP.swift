import ArgumentParser
import Foundation
import Logging
import TallyClient
import TallyCore
import TallyHTTP
import TallyPresentation

/// `tally serve --http ADDR`: the operator's side door beside the RPC listener, and `--log-format`.
struct ServeHTTPOptions: ParsableArguments {
    @Option(name: .long, help: "Also serve the live web dashboard, /metrics, /healthz and /readyz over HTTP on HOST:PORT (e.g. 127.0.0.1:7480; off unless given).")
    var http: String?

    @Option(name: .long, help: "Log lines as text (default) or json (one JSON object per line, for collectors).")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        if let http, ServerAddress(parsing: http) == nil { throw ValidationError("--http must be HOST:PORT, e.g. 127.0.0.1:7480") }
    }

    /// With `--log-format json`, sends every log line to standard error as JSON (before any logger is made).
    func bootstrapLogging() {
        if logFormat == .json { LoggingSystem.bootstrap { JSONLogHandler(label: $0) } }
    }

    /// Starts the side door onto `server` when `--http` was given; returns it and its bound address.
    func startSideDoor(_ server: TallyServer, logger: Logger, lang: Language) async throws -> (HTTPSideDoor, ServerAddress)? {
        guard let http, let address = ServerAddress(parsing: http) else { return nil }
        let door = HTTPSideDoor(configuration: HTTPSideDoorConfiguration(host: address.host, port: address.port),
                                logger: logger, view: { server.operatorView })
        do {
            let port = try await door.start()
            return (door, ServerAddress(host: address.host, port: port))
        } catch {
            throw CLIError(.usage, lang.pick(zh: "无法在 \(http) 上提供网页：\(error)", en: "cannot serve HTTP on \(http): \(error)"))
        }
    }
}
