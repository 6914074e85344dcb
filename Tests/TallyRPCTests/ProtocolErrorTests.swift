import XCTest
@testable import TallyRPC
import TallyTestSupport
import TallyWire

/// Misbehaving peers over real sockets.
final class ProtocolErrorTests: XCTestCase {
    func testOversizedFrameGetsGoAwayResourceExhausted() async throws {
        let (server, port) = try startServer { $0.maxFrameSize = 1024 }
        let socket = try RawSocket(port: port)
        socket.send(Wire.clientHandshake + Wire.call(1, TestService.echo))
        socket.send(Array(Wire.message(1, [UInt8](repeating: 7, count: 2000)).prefix(10)))
        let frames = socket.readFrames(until: .goAway)
        let goAway = try XCTUnwrap(frames.last.flatMap { try? Tally_Wire_V1_GoAway(serializedBytes: $0.payload) })
        XCTAssertEqual(frames.last?.type, .goAway)
        XCTAssertEqual(goAway.code, StatusCode.resourceExhausted.rawValue)
        XCTAssertEqual(goAway.message, "frame of 2000 bytes exceeds the limit of 1024 bytes")
        XCTAssertEqual(goAway.lastStreamID, 1)
        XCTAssertTrue(socket.readAll().eof)
        socket.close()
        await server.shutdown()
    }

    func testBadPrefaceIsClosedWithoutAnswer() async throws {
        let (server, port) = try startServer()
        let socket = try RawSocket(port: port)
        socket.send(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        let (bytes, eof) = socket.readAll()
        XCTAssertEqual(bytes, [])
        XCTAssertTrue(eof)
        socket.close()
        await server.shutdown()
    }

    func testUnknownMethodIsUnimplemented() async throws {
        let (server, port) = try startServer()
        let client = makeClient(port: port)
        let error = await assertStatus(.unimplemented) {
            try await client.unary("/x.Y/Z", string("?"), as: StringValue.self)
        }
        XCTAssertEqual(error?.message, "unknown method /x.Y/Z")
        // The connection lives on.
        let reply = try await client.unary(TestService.echo, string("still here"), as: StringValue.self)
        XCTAssertEqual(reply.value, "still here")
        await client.close()
        await server.shutdown()
    }

    func testUndecodableRequestIsInvalidArgument() async throws {
        let (server, port) = try startServer()
        let socket = try RawSocket(port: port)
        socket.send(Wire.clientHandshake + Wire.call(1, TestService.echo) + Wire.message(1, [0x0A, 0x7F, 0x01]))
        let frames = socket.readFrames(until: .status)
        let status = try XCTUnwrap(frames.last.flatMap { try? Tally_Wire_V1_Status(serializedBytes: $0.payload) })
        XCTAssertEqual(status.code, StatusCode.invalidArgument.rawValue)
        XCTAssertEqual(status.message, "cannot decode request as google.protobuf.StringValue")
        socket.close()
        await server.shutdown()
    }

    func testUnaryWithTwoRequestsIsInvalidArgument() async throws {
        let (server, port) = try startServer()
        let socket = try RawSocket(port: port)
        socket.send(
            Wire.clientHandshake + Wire.call(1, TestService.echo) + Wire.message(1, [], end: false)
                + Wire.message(1, [], end: true))
        let frames = socket.readFrames(until: .status)
        let status = try XCTUnwrap(frames.last.flatMap { try? Tally_Wire_V1_Status(serializedBytes: $0.payload) })
        XCTAssertEqual(status.code, StatusCode.invalidArgument.rawValue)
        socket.close()
        await server.shutdown()
    }

    func testHandlerErrorsBecomeStatuses() async throws {
        let (server, port) = try startServer()
        let client = makeClient(port: port)
        let notFound = await assertStatus(.notFound) {
            try await client.unary(TestService.fail, string("no such target"), as: Empty.self)
        }
        XCTAssertEqual(notFound, RPCError(.notFound, "no such target"))
        let crashed = await assertStatus(.internalError) { try await client.unary(TestService.crash, Empty(), as: Empty.self) }
        XCTAssertEqual(crashed, RPCError(.internalError, "internal error"))
        await client.close()
        await server.shutdown()
    }

    func testTooManyConcurrentCallsThenConnectionStillUsable() async throws {
        let started = LockedValue(0)
        let router = Router()
        router.registerUnary("/t.v1.Slow/Wait", Int64Value.self, Empty.self) { request, _ in
            started.update { $0 += 1 }
            try await Task.sleep(for: .milliseconds(request.value))
            return Empty()
        }
        router.registerUnary(TestService.echo, StringValue.self, StringValue.self) { request, _ in request }
        let (server, port) = try startServer(router: router) { $0.maxConcurrentCalls = 2 }
        let client = makeClient(port: port)
        let slow = (0..<2).map { _ in
            Task { try await client.unary("/t.v1.Slow/Wait", int64(500), as: Empty.self) }
        }
        await waitUntil { started.get() == 2 }
        let refused = await assertStatus(.resourceExhausted) {
            try await client.unary(TestService.echo, string("x"), as: StringValue.self)
        }
        XCTAssertEqual(refused, RPCError(.resourceExhausted, "too many concurrent calls (limit 2)"))
        for task in slow { _ = try await task.value }
        let reply = try await client.unary(TestService.echo, string("ok"), as: StringValue.self)
        XCTAssertEqual(reply.value, "ok")
        await client.close()
        await server.shutdown()
    }

    func testConnectionLimit() async throws {
        let (server, port) = try startServer { $0.maxConnections = 1 }
        let first = makeClient(port: port)
        _ = try await first.unary(TestService.echo, string("a"), as: StringValue.self)
        let second = makeClient(port: port)
        let refused = await assertStatus(.resourceExhausted) {
            try await second.unary(TestService.echo, string("b"), as: StringValue.self)
        }
        XCTAssertEqual(refused, RPCError(.resourceExhausted, "too many connections (limit 1)"))
        await first.close()
        await second.close()
        await server.shutdown()
    }

    func testHandshakeTimeoutClosesSilentConnection() async throws {
        let (server, port) = try startServer { $0.handshakeTimeout = .milliseconds(100) }
        let socket = try RawSocket(port: port)
        let (bytes, eof) = socket.readAll()
        XCTAssertEqual(bytes, [])
        XCTAssertTrue(eof)
        socket.close()
        await server.shutdown()
    }

    func testIdleTimeoutSendsGoAway() async throws {
        let (server, port) = try startServer { $0.idleTimeout = .milliseconds(100) }
        let socket = try RawSocket(port: port)
        socket.send(Wire.clientHandshake)
        let frames = socket.readFrames(until: .goAway)
        let goAway = try XCTUnwrap(frames.last.flatMap { try? Tally_Wire_V1_GoAway(serializedBytes: $0.payload) })
        XCTAssertEqual(goAway.code, 0)
        XCTAssertEqual(goAway.message, "idle timeout")
        XCTAssertTrue(socket.readAll().eof)
        socket.close()
        await server.shutdown()
    }
}
