import Foundation
import SwiftProtobuf
import XCTest
@testable import TallyRPC
import TallyTestSupport
import TallyWire

/// A server stream whose consumer is slow: the client buffers a bounded amount, stops reading its
/// socket, and TCP holds the server's handler back, instead of the client buffering without limit.
final class StreamBackpressureTests: XCTestCase {
    typealias Chunk = Google_Protobuf_BytesValue

    func testSlowStreamConsumerHoldsTheServerBackWithBoundedBuffering() async throws {
        let chunkSize = 32 * 1024
        let total = 2_000  // 64 MiB: far more than kernel buffers and both watermarks hold
        let sent = LockedValue(0)
        let router = Router()
        router.registerServerStreaming("/t.v1.Feed/Flood", Chunk.self, Chunk.self) { _, writer, _ in
            for _ in 0..<total {
                try await writer.send(Chunk.with { $0.value = Data(repeating: 7, count: chunkSize) })
                sent.update { $0 += 1 }
            }
        }
        let (server, port) = try startServer(router: router) {
            $0.outboundHighWatermark = 256 << 10
            $0.outboundLowWatermark = 64 << 10
        }
        let client = makeClient(port: port) {
            $0.inboundHighWatermark = 256 << 10
            $0.inboundLowWatermark = 64 << 10
        }
        let release = Flag()
        let received = LockedValue(0)
        let consumer = Task { () throws -> Int in
            for try await chunk in client.serverStreaming("/t.v1.Feed/Flood", Chunk(), as: Chunk.self) {
                XCTAssertEqual(chunk.value.count, chunkSize)
                received.update { $0 += 1 }
                await release.wait()  // a consumer that stops after its first message
            }
            return received.get()
        }
        await waitUntil { received.get() == 1 }
        let stalled = await settledValue(of: { sent.get() }, ceiling: total)
        XCTAssertLessThan(stalled, total / 4, "the client kept reading for a consumer that took 1 message of \(total)")
        XCTAssertEqual(received.get(), 1)
        release.set()
        let count = try await consumer.value
        XCTAssertEqual(count, total, "every message arrives once the consumer catches up")
        print("slow stream consumer: server held back after \(stalled) of \(total) messages of \(chunkSize) bytes")
        await client.close()
        await server.shutdown()
    }

    func testResponseBufferReportsPressureAboveHighAndReliefBelowLow() async throws {
        let events = LockedValue<[Bool]>([])
        let buffer = ResponseBuffer(highWatermark: 100, lowWatermark: 40,
                                    onPressure: { full in events.update { $0.append(full) } }, onAbandon: {})
        for _ in 0..<6 { buffer.append([UInt8](repeating: 1, count: 30)) }  // 180 bytes
        XCTAssertEqual(events.get(), [true], "pressure once, when 100 bytes were passed")
        for _ in 0..<4 { _ = try await buffer.next() }  // 60 bytes left: above the low watermark
        XCTAssertEqual(events.get(), [true])
        _ = try await buffer.next()  // 30 left
        XCTAssertEqual(events.get(), [true, false])
        buffer.finish(.failure(RPCError(.resourceExhausted, "too slow")))
        let last = try await buffer.next()
        XCTAssertEqual(last?.count, 30, "messages before the end are delivered first")
        await assertStatus(.resourceExhausted, "the call's error ends the stream") { try await buffer.next() }
    }

    func testDroppingAStreamCancelsItsCall() async throws {
        let abandoned = LockedValue(0)
        do {
            let buffer = ResponseBuffer(highWatermark: 100, lowWatermark: 40, onPressure: { _ in },
                                        onAbandon: { abandoned.update { $0 += 1 } })
            buffer.append([1])
        }
        XCTAssertEqual(abandoned.get(), 1)
    }
}
