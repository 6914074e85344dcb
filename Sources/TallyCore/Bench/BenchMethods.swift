import SwiftProtobuf
import TallyRPC
import TallyWire

/// Server-side methods used only by `tally bench`, registered when
/// ``TallyServerConfiguration/enableBenchMethods`` is set. They need no credential and touch no data.
enum BenchMethods {
    /// Server streaming: the request's value is a count N; the answer is N small messages carrying
    /// 1...N in order, so the client measures streaming throughput and checks order.
    static let stream = "/tally.bench.v1.Bench/Stream"

    /// Most messages one stream call may ask for.
    static let maxCount: UInt64 = 100_000_000

    /// Unary: answers "BATCHES COMMANDS", the group-commit writer's totals since start.
    static let writerStatistics = "/tally.bench.v1.Bench/WriterStatistics"

    static func register(on router: Router, writer: Writer) {
        router.registerUnary(writerStatistics, Google_Protobuf_Empty.self, Google_Protobuf_StringValue.self) { _, _ in
            let statistics = writer.statistics
            var answer = Google_Protobuf_StringValue()
            answer.value = "\(statistics.batches) \(statistics.commands)"
            return answer
        }
        router.registerServerStreaming(stream, Google_Protobuf_UInt64Value.self, Google_Protobuf_UInt64Value.self) {
            request, writer, _ in
            guard request.value <= maxCount else {
                throw RPCError(.invalidArgument, "count: at most \(maxCount) messages")
            }
            var message = Google_Protobuf_UInt64Value()
            var index: UInt64 = 1
            while index <= request.value {
                message.value = index
                try await writer.send(message)
                index += 1
            }
        }
    }
}
