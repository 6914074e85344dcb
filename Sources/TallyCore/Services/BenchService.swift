import SwiftProtobuf
import TallyMessages
import TallyRPC
import TallyWire

/// `tally.bench.v1.Bench`: methods used only by `tally bench`, registered only when the server is
/// started for benchmarking (``TallyServerConfiguration/enableBenchMethods``). They need no
/// credential and touch no data.
struct BenchService: TallyService {
    let parts: ServerParts

    /// Most messages one `Stream` call may ask for.
    static let maxCount: UInt64 = 100_000_000

    func register(on router: Router) {
        // Answers "BATCHES COMMANDS", the group-commit writer's totals since start.
        router.registerUnary(Tally_Bench_V1_Bench.Method.writerStatistics, access: .open) { _, _ in
            let statistics = writer.statistics
            var answer = Google_Protobuf_StringValue()
            answer.value = "\(statistics.batches) \(statistics.commands)"
            return answer
        }
        // The request's value is a count N; the answer is N small messages carrying 1...N in order,
        // so the client measures streaming throughput and checks order.
        router.registerServerStreaming(Tally_Bench_V1_Bench.Method.stream, access: .open) { request, responses, _ in
            guard request.value <= Self.maxCount else {
                throw RPCError(.invalidArgument, "count: at most \(Self.maxCount) messages")
            }
            var message = Google_Protobuf_UInt64Value()
            var index: UInt64 = 1
            while index <= request.value {
                message.value = index
                try await responses.send(message)
                index += 1
            }
        }
    }
}
