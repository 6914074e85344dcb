import SwiftProtobuf
import TallyRPC
import TallyWire

/// `tally.bench.v1.Bench`: methods used only by `tally bench`, registered only when the server is
/// started for benchmarking (``TallyServerConfiguration/enableBenchMethods``). They need no
/// credential and touch no data.
struct BenchService: Sendable {
    let writer: Writer

    /// Server streaming: the request's value is a count N; the answer is N small messages carrying
    /// 1...N in order, so the client measures streaming throughput and checks order.
    static let stream = "/tally.bench.v1.Bench/Stream"

    /// Most messages one stream call may ask for.
    static let maxCount: UInt64 = 100_000_000

    /// Unary: answers "BATCHES COMMANDS", the group-commit writer's totals since start.
    static let writerStatistics = "/tally.bench.v1.Bench/WriterStatistics"

    func register(on router: Router) {
        router.registerUnary(Self.writerStatistics, Google_Protobuf_Empty.self, Google_Protobuf_StringValue.self) { _, _ in
            let statistics = writer.statistics
            var answer = Google_Protobuf_StringValue()
            answer.value = "\(statistics.batches) \(statistics.commands)"
            return answer
        }
        router.registerServerStreaming(Self.stream, Google_Protobuf_UInt64Value.self, Google_Protobuf_UInt64Value.self) {
            request, responses, _ in
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
