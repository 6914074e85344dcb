import XCTest
@testable import TallyRPC
import TallyWire

final class EndToEndTests: XCTestCase {
    func testUnaryEcho() async throws {
        let (server, port) = try startServer()
        let client = makeClient(port: port)
        let reply = try await client.unary(TestService.echo, string("hello"), as: StringValue.self)
        XCTAssertEqual(reply.value, "hello")
        let again = try await client.unary(TestService.echo, string("again"), as: StringValue.self)
        XCTAssertEqual(again.value, "again")
        await client.close()
        await server.shutdown()
    }

    func testHealthCheckAcceptsAnyRequest() async throws {
        let (server, port) = try startServer()
        let client = makeClient(port: port)
        _ = try await client.unary(Router.healthCheckMethod, string("anything"), as: Empty.self)
        await client.close()
        await server.shutdown()
    }

    func testServerStreamingThousandInOrder() async throws {
        let (server, port) = try startServer()
        let client = makeClient(port: port)
        var received: [Int64] = []
        for try await value in client.serverStreaming(TestService.count, int64(1000), as: Int64Value.self) {
            received.append(value.value)
        }
        XCTAssertEqual(received, Array(0..<1000))
        await client.close()
        await server.shutdown()
    }

    /// The bytes variant hands each response over as it was serialized, in order, and ends cleanly.
    func testServerStreamingBytesAreTheSerializedMessages() async throws {
        let (server, port) = try startServer()
        let client = makeClient(port: port)
        let messages = client.serverStreamingBytes(TestService.count, int64(300))
        var received: [Int64] = []
        while let bytes = try await messages.next() {
            received.append(try Int64Value(serializedBytes: bytes).value)
        }
        XCTAssertEqual(received, Array(0..<300))
        await client.close()
        await server.shutdown()
    }

    func testClientStreamingSum() async throws {
        let (server, port) = try startServer()
        let client = makeClient(port: port)
        let requests = AsyncStream<Int64Value> { continuation in
            for value in 1...100 { continuation.yield(int64(Int64(value))) }
            continuation.finish()
        }
        let total = try await client.clientStreaming(TestService.sum, requests, as: Int64Value.self)
        XCTAssertEqual(total.value, 5050)
        await client.close()
        await server.shutdown()
    }
}
