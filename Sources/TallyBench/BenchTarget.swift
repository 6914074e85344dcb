import Foundation
import SwiftProtobuf
import TallyClient
import TallyMessages
import TallyRPC

/// Where a phase's load goes: a fresh server child of our own (measured), or a running server.
struct BenchTarget: Sendable {
    var host: String
    var port: Int
    /// The child we started, whose CPU and memory we read; nil for a running server.
    var process: ServerProcess?
    /// TLS for the clients; nil for plaintext.
    var tls: TLSClientConfiguration?

    /// Starts a fresh child on `database` (serving TLS with `tls`), or points at the running server
    /// given in the configuration (`tallys://` for TLS, trusting the system's CAs).
    static func open(_ configuration: BenchConfiguration, database: BenchDatabase, tls: BenchTLS? = nil) async throws
        -> BenchTarget
    {
        if let server = configuration.server {
            guard let endpoint = ServerEndpoint(parsing: server) else { throw BenchError("invalid --server address \(server)") }
            return BenchTarget(host: endpoint.address.host, port: endpoint.address.port, process: nil,
                               tls: endpoint.usesTLS ? TLSClientConfiguration() : nil)
        }
        let process = try await ServerProcess(executable: configuration.executable, database: database.conninfo, tls: tls)
        return BenchTarget(host: "127.0.0.1", port: process.port, process: process, tls: process.tls)
    }

    /// "plaintext" or "TLS", for section titles.
    var transport: String { tls == nil ? "plaintext" : "TLS" }

    /// A client configuration for this target.
    func clientConfiguration(peerName: String) -> ClientConfiguration {
        var configuration = ClientConfiguration(host: host, port: port)
        configuration.peerName = peerName
        configuration.tls = tls
        return configuration
    }

    var stats: ProcessStats? { process?.stats }

    /// The group-commit writer's batches and commands so far (bench methods must be enabled).
    func writerStatistics() async -> (batches: Int, commands: Int)? {
        let client = RPCClient(configuration: clientConfiguration(peerName: "tally-bench/1"))
        defer { Task { await client.close() } }
        guard let answer = try? await client.unary(Tally_Bench_V1_Bench.Method.writerStatistics, Google_Protobuf_Empty(),
                                                   timeout: .seconds(5))
        else { return nil }
        let parts = answer.value.split(separator: " ").compactMap { Int($0) }
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }

    func close() async {
        await process?.stop()
    }
}
