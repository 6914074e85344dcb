import Foundation
import SwiftProtobuf
import TallyMessages
import TallyRPC
import TallyWire

/// The RPC cost alone: C callers, one connection each, calling `/tally.v1.Health/Check` back to back.
enum PingPhase {
    struct Result: Sendable {
        var callers: Int
        var calls: Int
        var failures: Int
        var firstFailure: String?
        var seconds: Double
        var latency: Latency

        var rate: Double { Double(calls) / seconds }
    }

    static func run(target: BenchTarget, callers: Int, duration: Double) async throws -> Result {
        let clients = (0..<callers).map { _ in
            RPCClient(configuration: target.clientConfiguration(peerName: "tally-bench-ping/1"))
        }
        for client in clients { _ = try await ping(client) }
        let start = Monotonic.nanos()
        let deadline = start + UInt64(duration * 1e9)
        let results = await withTaskGroup(of: Result.self) { group in
            for client in clients {
                group.addTask {
                    var result = Result(callers: 1, calls: 0, failures: 0, seconds: 0, latency: Latency())
                    while Monotonic.nanos() < deadline {
                        let begin = Monotonic.nanos()
                        do {
                            _ = try await ping(client)
                            result.latency.record(nanos: Monotonic.nanos() - begin)
                            result.calls += 1
                        } catch {
                            result.failures += 1
                            if result.firstFailure == nil { result.firstFailure = "\(error)" }
                        }
                    }
                    return result
                }
            }
            var all: [Result] = []
            for await result in group { all.append(result) }
            return all
        }
        var total = Result(callers: callers, calls: 0, failures: 0, seconds: Double(Monotonic.nanos() - start) / 1e9,
                           latency: Latency())
        for result in results {
            total.calls += result.calls
            total.failures += result.failures
            total.firstFailure = total.firstFailure ?? result.firstFailure
            total.latency.merge(result.latency)
        }
        for client in clients { await client.close() }
        return total
    }

    private static func ping(_ client: RPCClient) async throws -> Google_Protobuf_Empty {
        try await client.unary(Tally_V1_Health.Method.check, Google_Protobuf_Empty(), timeout: .seconds(30))
    }
}
