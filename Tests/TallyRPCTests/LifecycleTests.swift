import XCTest
@testable import TallyRPC
import TallyTestSupport
import TallyWire

final class LifecycleTests: XCTestCase {
    func testGracefulShutdownLetsCallInFlightFinish() async throws {
        let started = Flag()
        let (server, port) = try startServer(router: TestService.router(started: started))
        let client = makeClient(port: port) { $0.reconnectBackoffInitial = .milliseconds(1) }
        let inFlight = Task { try await client.unary(TestService.sleep, int64(300), as: Empty.self) }
        await waitUntil { started.isSet }
        let shutdown = Task { await server.shutdown() }
        await waitUntil { client.core.probeConnection()?.takesCalls == false }  // the server's GOAWAY arrived
        await assertStatus(.unavailable, "a new call after shutdown began must fail") {
            try await client.unary(TestService.echo, string("late"), as: StringValue.self)
        }
        _ = try await inFlight.value  // completes normally
        await shutdown.value
        XCTAssertEqual(server.connectionCount, 0)
        await client.close()
    }

    func testGracePeriodEndsSlowCallsWithUnavailable() async throws {
        let started = Flag()
        let cancelled = Flag()
        let (server, port) = try startServer(router: TestService.router(cancelled: cancelled, started: started)) {
            $0.shutdownGracePeriod = .milliseconds(100)
        }
        let client = makeClient(port: port)
        let inFlight = Task { try await client.unary(TestService.sleep, int64(10_000), as: Empty.self) }
        await waitUntil { started.isSet }
        await server.shutdown()
        await assertStatus(.unavailable) { try await inFlight.value }
        await waitUntil { cancelled.isSet }
        await client.close()
    }

    func testClientReconnectsAfterServerRestart() async throws {
        let (first, port) = try startServer()
        let client = makeClient(port: port) {
            $0.reconnectBackoffInitial = .milliseconds(10)
            $0.reconnectBackoffMax = .milliseconds(100)
        }
        _ = try await client.unary(TestService.echo, string("one"), as: StringValue.self)
        await first.shutdown()
        await assertStatus(.unavailable) {
            try await client.unary(TestService.echo, string("down"), as: StringValue.self)
        }
        let (second, _) = try startServer { $0.port = port }
        // The second server is listening; whether a call gets through depends on the client's
        // reconnect backoff, which no event announces: retry the call, a bounded number of times.
        var reply: StringValue?
        for _ in 0..<50 where reply == nil {
            reply = try? await client.unary(TestService.echo, string("two"), as: StringValue.self)
            if reply == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        XCTAssertEqual(reply?.value, "two")
        await client.close()
        await second.shutdown()
    }

    func testConnectionRefusedMessage() async throws {
        let (server, port) = try startServer()
        await server.shutdown()  // the port is now closed
        let client = makeClient(port: port)
        let error = await assertStatus(.unavailable) {
            try await client.unary(TestService.echo, string("?"), as: StringValue.self)
        }
        XCTAssertEqual(error, RPCError(.unavailable, "cannot reach 127.0.0.1:\(port): connection refused"))
        await client.close()
    }

    func testStartFailsWhenPortIsTaken() async throws {
        let (server, port) = try startServer()
        XCTAssertThrowsError(try startServer { $0.port = port }) { error in
            XCTAssertTrue("\(error)".contains("Address already in use"), "\(error)")
        }
        await server.shutdown()
    }

    /// IPv6 is part of what the server supports (a name binds all its addresses), so a machine
    /// without an IPv6 loopback fails here rather than passing untested.
    func testIPv6Loopback() async throws {
        let server: RPCServer
        let port: Int
        do {
            (server, port) = try startServer { $0.host = "::1" }
        } catch {
            XCTFail("cannot listen on ::1 (this machine needs IPv6 on its loopback interface for this test): \(error)")
            return
        }
        let client = makeClient(port: port, host: "::1")
        let reply = try await client.unary(TestService.echo, string("v6"), as: StringValue.self)
        XCTAssertEqual(reply.value, "v6")
        await client.close()
        await server.shutdown()
    }

    func testClosedClientRefusesCalls() async throws {
        let (server, port) = try startServer()
        let client = makeClient(port: port)
        _ = try await client.unary(TestService.echo, string("a"), as: StringValue.self)
        await client.close()
        await assertStatus(.unavailable) { try await client.unary(TestService.echo, string("b"), as: StringValue.self) }
        await server.shutdown()
    }
}
