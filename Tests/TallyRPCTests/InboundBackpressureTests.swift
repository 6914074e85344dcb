import Foundation
import SwiftProtobuf
import XCTest
@testable import TallyRPC
import TallyTestSupport
import TallyWire

final class InboundBackpressureTests: XCTestCase {
    typealias Chunk = Google_Protobuf_BytesValue

    /// Yields `total` chunks lazily, counting how many the client has pulled.
    struct CountingChunks: AsyncSequence, Sendable {
        let total: Int
        let pulled: LockedValue<Int>
        struct AsyncIterator: AsyncIteratorProtocol {
            let total: Int
            let pulled: LockedValue<Int>
            mutating func next() async -> Chunk? {
                let index = pulled.update { value -> Int in
                    value += 1
                    return value
                }
                return index <= total ? Chunk.with { $0.value = Data(repeating: 7, count: 32 * 1024) } : nil
            }
        }
        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(total: total, pulled: pulled) }
    }

    func testSlowClientStreamingHandlerStopsReadingInput() async throws {
        let consumed = LockedValue(0)
        let release = Flag()
        let router = Router()
        router.registerClientStreaming("/t.v1.Sink/Drain", Chunk.self, Int64Value.self) { requests, _ in
            var count: Int64 = 0
            for try await _ in requests {
                count += 1
                consumed.update { $0 += 1 }
                await release.wait()
            }
            return int64(count)
        }
        let (server, port) = try startServer(router: router) {
            $0.outboundHighWatermark = 256 << 10
            $0.outboundLowWatermark = 64 << 10
        }
        let client = makeClient(port: port) {
            $0.outboundHighWatermark = 256 << 10
            $0.outboundLowWatermark = 64 << 10
        }
        let total = 2000  // 64 MiB: far more than kernel buffers and both watermarks hold
        let pulled = LockedValue(0)
        let requests = CountingChunks(total: total, pulled: pulled)
        let call = Task { try await client.clientStreaming("/t.v1.Sink/Drain", requests, as: Int64Value.self) }
        await waitUntil { consumed.get() == 1 }
        let pulledWhileStalled = await settledValue(of: { pulled.get() }, ceiling: total)
        XCTAssertLessThan(pulledWhileStalled, total / 2, "the server kept reading input for a stalled handler")
        XCTAssertEqual(consumed.get(), 1)
        XCTAssertEqual(pulled.get(), pulledWhileStalled, "the client must be held back")
        release.set()
        let sum = try await call.value
        XCTAssertEqual(sum.value, Int64(total))
        await client.close()
        await server.shutdown()
    }
}
