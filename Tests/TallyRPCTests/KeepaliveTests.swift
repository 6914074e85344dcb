import XCTest
@testable import TallyRPC
import TallyTestSupport
import TallyWire

final class KeepaliveTests: XCTestCase {
    func testUnansweredPingFailsCallsUnavailable() async throws {
        let server = try SilentServer()
        defer { server.close() }
        let client = makeClient(port: server.port) {
            $0.keepaliveInterval = .milliseconds(50)
            $0.keepaliveTimeout = .milliseconds(100)
        }
        let error = await assertStatus(.unavailable) {
            try await client.unary(TestService.echo, string("anyone?"), as: StringValue.self)
        }
        XCTAssertTrue(error?.message.contains("keepalive") ?? false, error?.message ?? "")
        XCTAssertTrue(server.received.get().contains(.ping), "\(server.received.get())")
        XCTAssertEqual(server.received.get().prefix(3), [.hello, .call, .message])
        await client.close()
    }

    func testPingIsNotSentWithoutOpenCalls() async throws {
        let server = try SilentServer()
        defer { server.close() }
        let client = makeClient(port: server.port) {
            $0.keepaliveInterval = .milliseconds(20)
            // Long, so that a PING sent while the call was open cannot end the connection under test.
            $0.keepaliveTimeout = .seconds(60)
        }
        let call = Task { try await client.unary(TestService.echo, string("x"), as: StringValue.self, timeout: .milliseconds(10)) }
        _ = try? await call.value  // ends by its own deadline; no open call afterwards
        // On a busy machine the deadline may fire late, so a PING while the call was open is allowed.
        let before = try XCTUnwrap(client.core.probeConnection(), "the connection is gone")
        // The event to wait on: the keepalive timer firing, each time with no open call.
        await waitUntil { (client.core.probeConnection()?.keepaliveTicks ?? 0) >= before.keepaliveTicks + 10 }
        XCTAssertEqual(client.core.probeConnection()?.pingsSent, before.pingsSent,
                       "a PING without open calls: \(server.received.get())")
        await client.close()
    }
}
