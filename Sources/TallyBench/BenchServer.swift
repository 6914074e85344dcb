import Foundation
import Logging
import TallyCore
import TallyStore

/// The server side of `tally bench`: a Tally server with the benchmark methods, run in a child
/// process until its standard input closes.
public enum BenchServer {
    /// Serves `database` on `host:port` (with TLS if given) until standard input reaches end of
    /// file, then shuts down.
    public static func run(database: String, host: String, port: Int, tls: TLSServerConfiguration? = nil) async throws {
        var configuration = TallyServerConfiguration(database: PostgresConfiguration(conninfo: database))
        configuration.tls = tls
        configuration.host = host
        configuration.port = port
        configuration.enableBenchMethods = true
        configuration.maxConnections = 4096
        // As `tally serve` logs: a line per write at info (the caller bootstraps the deployed format).
        var logger = Logger(label: "tally.server")
        logger.logLevel = .info
        let server = TallyServer(configuration: configuration, logger: logger)
        _ = try await server.start()
        await waitForEndOfInput()
        await server.shutdown()
    }

    /// Returns when standard input is closed (the parent closed the pipe or exited).
    private static func waitForEndOfInput() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                _ = FileHandle.standardInput.readDataToEndOfFile()
                continuation.resume()
            }
        }
    }
}
