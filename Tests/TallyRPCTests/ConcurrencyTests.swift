import XCTest
@testable import TallyRPC
import TallyTestSupport
import TallyWire

final class ConcurrencyTests: XCTestCase {
    func testTwoHundredConcurrentCallsOnOneConnection() async throws {
        let (server, port) = try startServer { $0.maxConcurrentCalls = 256 }
        let client = makeClient(port: port)
        let replies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<200 {
                group.addTask {
                    let reply = try await client.unary(TestService.echo, string("m\(index)"), as: StringValue.self)
                    return (index, reply.value)
                }
            }
            var replies: [Int: String] = [:]
            for try await (index, value) in group { replies[index] = value }
            return replies
        }
        XCTAssertEqual(replies.count, 200)
        for (index, value) in replies { XCTAssertEqual(value, "m\(index)") }
        XCTAssertEqual(server.connectionCount, 1)
        await client.close()
        await server.shutdown()
    }

    func testFiftyConnections() async throws {
        let (server, port) = try startServer()
        let clients = (0..<50).map { _ in makeClient(port: port) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, client) in clients.enumerated() {
                group.addTask {
                    for round in 0..<5 {
                        let text = "c\(index)r\(round)"
                        let reply = try await client.unary(TestService.echo, string(text), as: StringValue.self)
                        XCTAssertEqual(reply.value, text)
                    }
                }
            }
            try await group.waitForAll()
        }
        XCTAssertEqual(server.connectionCount, 50)
        for client in clients { await client.close() }
        await waitUntil { server.connectionCount == 0 }
        await server.shutdown()
    }

    func testStalledReaderStaysBoundedAndOthersProceed() async throws {
        let maxBuffered = LockedValue(0)
        let sent = LockedValue(0)
        let handlerEnded = Flag()
        let router = TestService.router()
        let chunk = StringValue.with { $0.value = String(repeating: "x", count: 64 * 1024) }
        router.registerServerStreaming("/t.v1.Flood/Flood", Empty.self, StringValue.self) { _, writer, _ in
            defer { handlerEnded.set() }
            for _ in 0..<100_000 {
                try await writer.send(chunk)
                sent.update { $0 += 1 }
                let buffered = writer.bufferedBytes
                maxBuffered.update { $0 = max($0, buffered) }
            }
        }
        let (server, port) = try startServer(router: router) {
            $0.outboundHighWatermark = 1 << 20
            $0.outboundLowWatermark = 256 << 10
        }
        let stalled = try RawSocket(port: port, receiveBufferSize: 4096)
        stalled.send(Wire.clientHandshake + Wire.call(1, "/t.v1.Flood/Flood") + Wire.message(1, []))
        // The flood fills the kernel buffers and the outbound buffer up to the watermark, then stops.
        let sentWhileStalled = await settledValue(of: { sent.get() }, ceiling: 100_000)
        XCTAssertLessThan(sentWhileStalled, 100, "sent \(sentWhileStalled) chunks to a reader that never reads")
        XCTAssertLessThanOrEqual(maxBuffered.get(), (1 << 20) + 2 * (64 * 1024 + 16))
        // Other clients are not slowed down.
        let client = makeClient(port: port)
        for index in 0..<20 {
            let reply = try await client.unary(TestService.echo, string("\(index)"), as: StringValue.self)
            XCTAssertEqual(reply.value, "\(index)")
        }
        XCTAssertEqual(sent.get(), sentWhileStalled, "the handler must stay suspended by backpressure")
        stalled.close()
        await waitUntil { handlerEnded.isSet }
        await client.close()
        await server.shutdown()
    }
}
