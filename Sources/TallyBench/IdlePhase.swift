import Foundation
import SwiftProtobuf
import TallyMessages
import TallyRPC
import TallyWire

/// Many idle connections: each opens, completes one Health/Check and then stays open doing nothing.
enum IdlePhase {
    struct Result: Sendable {
        var connections: Int
        var failures: Int
        var firstFailure: String?
        var rssBeforeKiB: Int
        var rssAfterKiB: Int
    }

    static func run(target: BenchTarget, server: ServerProcess, connections: Int) async -> Result {
        let before = server.stats?.rssKiB ?? 0
        let configuration = target.clientConfiguration(peerName: "tally-bench-idle/1")
        let clients = (0..<connections).map { _ in RPCClient(configuration: configuration) }
        var failures = 0
        var firstFailure: String?
        // Connect in waves of 100 so the listen backlog is never the limit.
        for wave in stride(from: 0, to: clients.count, by: 100) {
            let errors = await withTaskGroup(of: String?.self) { group in
                for client in clients[wave..<min(wave + 100, clients.count)] {
                    group.addTask {
                        do {
                            _ = try await client.unary(Tally_V1_Health.Method.check, Google_Protobuf_Empty(),
                                                       timeout: .seconds(30))
                            return nil
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                var errors: [String] = []
                for await error in group { if let error { errors.append(error) } }
                return errors
            }
            failures += errors.count
            firstFailure = firstFailure ?? errors.first
        }
        try? await Task.sleep(for: .seconds(1))
        let after = server.stats?.rssKiB ?? 0
        for client in clients { await client.close() }
        return Result(connections: connections, failures: failures, firstFailure: firstFailure,
                      rssBeforeKiB: before, rssAfterKiB: after)
    }
}
