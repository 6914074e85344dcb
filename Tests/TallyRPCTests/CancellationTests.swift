import XCTest
@testable import TallyRPC
import TallyTestSupport
import TallyWire

final class CancellationTests: XCTestCase {
    func testDeadlineExceededAndHandlerCancelled() async throws {
        let cancelled = Flag()
        let (server, port) = try startServer(router: TestService.router(cancelled: cancelled))
        let client = makeClient(port: port)
        let start = ContinuousClock.now
        await assertStatus(.deadlineExceeded) {
            try await client.unary(TestService.sleep, int64(5000), as: Empty.self, timeout: .milliseconds(100))
        }
        XCTAssertLessThan(start.duration(to: .now), .seconds(4))
        await waitUntil { cancelled.isSet }
        await client.close()
        await server.shutdown()
    }

    func testTaskCancellationSendsCancelAndCancelsHandler() async throws {
        let cancelled = Flag()
        let started = Flag()
        let (server, port) = try startServer(router: TestService.router(cancelled: cancelled, started: started))
        let client = makeClient(port: port)
        let task = Task { try await client.unary(TestService.sleep, int64(10_000), as: Empty.self) }
        await waitUntil { started.isSet }
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch {
            XCTAssertTrue(error is CancellationError || (error as? RPCError)?.code == .cancelled, "\(error)")
        }
        await waitUntil { cancelled.isSet }
        // The connection is still fine.
        let reply = try await client.unary(TestService.echo, string("after"), as: StringValue.self)
        XCTAssertEqual(reply.value, "after")
        await client.close()
        await server.shutdown()
    }

    func testDroppingAServerStreamCancelsTheHandler() async throws {
        let handlerCancelled = Flag()
        let router = Router()
        router.registerServerStreaming("/t.v1.Ticker/Tick", Empty.self, Int64Value.self) { _, writer, _ in
            var index: Int64 = 0
            do {
                while true {
                    try await writer.send(int64(index))
                    index += 1
                    try await Task.sleep(for: .milliseconds(1))
                }
            } catch {
                handlerCancelled.set()
                throw error
            }
        }
        let (server, port) = try startServer(router: router)
        let client = makeClient(port: port)
        var seen: [Int64] = []
        for try await value in client.serverStreaming("/t.v1.Ticker/Tick", Empty(), as: Int64Value.self) {
            seen.append(value.value)
            if seen.count == 10 { break }
        }
        XCTAssertEqual(seen, Array(0..<10))
        await waitUntil { handlerCancelled.isSet }
        await client.close()
        await server.shutdown()
    }

    func testStreamingDeadline() async throws {
        let router = Router()
        router.registerServerStreaming("/t.v1.Ticker/Tick", Empty.self, Int64Value.self) { _, writer, _ in
            while true {
                try await writer.send(int64(1))
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        let (server, port) = try startServer(router: router)
        let client = makeClient(port: port)
        await assertStatus(.deadlineExceeded) {
            for try await _ in client.serverStreaming(
                "/t.v1.Ticker/Tick", Empty(), as: Int64Value.self, timeout: .milliseconds(100)) {}
        }
        await client.close()
        await server.shutdown()
    }
}
