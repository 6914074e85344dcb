import Foundation
import SwiftProtobuf
import TallyMessages
import TallyRPC

/// Streaming throughput: one watcher reading small messages (`/tally.bench.v1.Bench/Stream`) as
/// fast as it can, checking that they come in order.
enum StreamPhase {
    struct Result: Sendable {
        var messages: Int
        var outOfOrder: Int
        var seconds: Double
        var error: String?

        var rate: Double { Double(messages) / seconds }
    }

    static func run(host: String, port: Int, duration: Double) async -> Result {
        var configuration = ClientConfiguration(host: host, port: port)
        configuration.peerName = "tally-bench-stream/1"
        let client = RPCClient(configuration: configuration)
        var request = Google_Protobuf_UInt64Value()
        request.value = 100_000_000
        let stream = client.serverStreaming(Tally_Bench_V1_Bench.Method.stream, request)
        var result = Result(messages: 0, outOfOrder: 0, seconds: 0)
        let start = Monotonic.nanos()
        let deadline = start + UInt64(duration * 1e9)
        do {
            var iterator = stream.makeAsyncIterator()
            while let message = try await iterator.next() {
                result.messages += 1
                if message.value != UInt64(result.messages) { result.outOfOrder += 1 }
                if result.messages & 1023 == 0, Monotonic.nanos() >= deadline { break }
            }
        } catch {
            result.error = "\(error)"
        }
        result.seconds = Double(Monotonic.nanos() - start) / 1e9
        await client.close()
        return result
    }
}
