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

    /// Starts a fresh child on `database`, or points at the running server given in the configuration.
    static func open(_ configuration: BenchConfiguration, database: BenchDatabase) async throws -> BenchTarget {
        if let server = configuration.server {
            guard let address = ServerAddress(parsing: server) else { throw BenchError("invalid --server address \(server)") }
            return BenchTarget(host: address.host, port: address.port, process: nil)
        }
        let process = try await ServerProcess(executable: configuration.executable, database: database.conninfo)
        return BenchTarget(host: "127.0.0.1", port: process.port, process: process)
    }

    var stats: ProcessStats? { process?.stats }

    /// The group-commit writer's batches and commands so far (bench methods must be enabled).
    func writerStatistics() async -> (batches: Int, commands: Int)? {
        let client = RPCClient(configuration: ClientConfiguration(host: host, port: port))
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
