import Foundation
import Logging
import SwiftProtobuf
import TallyRPC
import TallyWire
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// Slow, idle and flooding connections against the RPC server with small limits: timeouts close
/// them, the connection limit holds, and a flood does not stall the calls of others.
final class ConnectionAbuseTests: XCTestCase {
    private func server(maxConnections: Int = 1024, idle: Duration = .seconds(2)) throws -> (RPCServer, Int) {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.handshakeTimeout = .seconds(1)
        configuration.idleTimeout = idle
        configuration.maxConnections = maxConnections
        var logger = Logger(label: "tally.fault.rpc")
        logger.logLevel = .critical
        let server = RPCServer(configuration: configuration, router: Router(), logger: logger)
        return (server, try server.start())
    }

    private static func hello() -> [UInt8] {
        var hello = Tally_Wire_V1_Hello()
        hello.protocolVersion = 1
        hello.peerName = "raw-test"
        let payload = (try? hello.serializedBytes() as [UInt8]) ?? []
        return Preface.bytes + FrameEncoder.encode(Frame(type: .hello, stream: 0, payload: payload))
    }

    /// The frames in what the server sent after its preface.
    private static func frames(_ bytes: [UInt8]) -> [Frame] {
        guard bytes.count >= Preface.count else { return [] }
        var decoder = FrameDecoder(maxFrameSize: 1 << 20)
        decoder.append(bytes.dropFirst(Preface.count))
        var out: [Frame] = []
        while let frame = try? decoder.next() { out.append(frame) }
        return out
    }

    /// 300 connections: every third never speaks, the others complete a handshake and read the answer.
    private static func flood(port: Int) -> FloodOutcome {
        var outcome = FloodOutcome()
        var silent: [Int32] = []
        for round in 0..<300 {
            let fd = Sockets.connect(port: port)
            if fd < 0 { continue }
            if round % 3 == 0 {
                silent.append(fd)
                continue
            }
            Sockets.send(fd, hello())
            let reply = Sockets.drain(fd, timeout: 5)
            if let goAway = frames(reply.bytes).first(where: { $0.type == .goAway }),
               let message = try? Tally_Wire_V1_GoAway(serializedBytes: goAway.payload) {
                outcome.answered += 1
                if message.code == StatusCode.resourceExhausted.rawValue && message.message.contains("too many connections") {
                    outcome.refused += 1
                }
            }
            close(fd)
        }
        silent.forEach { close($0) }
        return outcome
    }

    struct FloodOutcome: Sendable {
        var refused = 0
        var answered = 0
    }

    func testUnfinishedHandshakeAndSlowDripAreClosedByTheHandshakeTimeout() throws {
        let (server, port) = try server()
        defer { Task { await server.shutdown() } }
        // Preface only, then silence: GOAWAY DEADLINE_EXCEEDED, then close.
        let silent = Sockets.connect(port: port)
        defer { close(silent) }
        Sockets.send(silent, Preface.bytes)
        let answer = Sockets.drain(silent, timeout: 10)
        XCTAssertTrue(answer.closed, "a connection that never finished its handshake stayed open")
        let goAway = Self.frames(answer.bytes).first { $0.type == .goAway }
        let status = try XCTUnwrap(goAway.flatMap { try? Tally_Wire_V1_GoAway(serializedBytes: $0.payload) })
        XCTAssertEqual(status.code, StatusCode.deadlineExceeded.rawValue)

        // A byte every 300 ms (the handshake would take 6 s): closed once the 1 s timeout passes.
        let drip = Sockets.connect(port: port)
        defer { close(drip) }
        let started = Date()
        var closedAfter: TimeInterval?
        for byte in Self.hello() {
            if !Sockets.send(drip, [byte]) || Sockets.drain(drip, timeout: 0.3).closed {
                closedAfter = Date().timeIntervalSince(started)
                break
            }
        }
        let after = try XCTUnwrap(closedAfter, "a slow-drip handshake was never cut off")
        XCTAssertLessThan(after, 6, "closed only after the whole handshake dripped in")
        // Garbage instead of a preface: closed without an answer.
        let garbage = Sockets.connect(port: port)
        defer { close(garbage) }
        Sockets.send(garbage, Array("GET / HTTP/1.1\r\n\r\n".utf8))
        let refused = Sockets.drain(garbage, timeout: 10)
        XCTAssertTrue(refused.closed)
        XCTAssertEqual(refused.bytes, [], "the server answered a stranger")
        print("slow drip closed after \(String(format: "%.2f", after)) s (handshake timeout 1 s)")
    }

    func testIdleConnectionIsClosedWithGoAway() throws {
        let (server, port) = try server()
        defer { Task { await server.shutdown() } }
        let idle = Sockets.connect(port: port)
        defer { close(idle) }
        Sockets.send(idle, Self.hello())
        let answer = Sockets.drain(idle, timeout: 15)
        XCTAssertTrue(answer.closed, "an idle connection stayed open")
        let frames = Self.frames(answer.bytes)
        XCTAssertEqual(frames.first?.type, .hello)
        let goAway = try XCTUnwrap(frames.first { $0.type == .goAway }.flatMap { try? Tally_Wire_V1_GoAway(serializedBytes: $0.payload) })
        XCTAssertEqual(goAway.code, 0)
        XCTAssertTrue(goAway.message.contains("idle"), goAway.message)
    }

    func testConnectionLimitHoldsAndAFloodDoesNotStallOthers() async throws {
        let limit = 40
        let (server, port) = try server(maxConnections: limit, idle: .seconds(120))
        defer { Task { await server.shutdown() } }
        var configuration = ClientConfiguration(host: "127.0.0.1", port: port)
        configuration.peerName = "victim"
        let victim = RPCClient(configuration: configuration)
        func health() async throws -> Duration {
            let started = ContinuousClock.now
            _ = try await victim.unary("/tally.v1.Health/Check", Google_Protobuf_Empty(), as: Google_Protobuf_Empty.self,
                                       timeout: .seconds(10))
            return ContinuousClock.now - started
        }
        var baseline: [Duration] = []
        for _ in 0..<50 { baseline.append(try await health()) }

        // Fill the server to its limit with handshaken connections, then flood it with 200 more
        // that each get GOAWAY RESOURCE_EXHAUSTED, plus 100 that never say anything.
        var held: [Int32] = []
        for _ in 0..<(limit - 1) {
            let fd = Sockets.connect(port: port)
            Sockets.send(fd, Self.hello())
            held.append(fd)
        }
        defer { held.forEach { close($0) } }
        try await waitFor("the server to hold \(limit) connections") { server.connectionCount >= limit }
        let flood = Task.detached { ConnectionAbuseTests.flood(port: port) }
        var during: [Duration] = []
        for _ in 0..<50 {
            during.append(try await health())
        }
        let outcome = await flood.value
        XCTAssertGreaterThan(outcome.refused, 150, "extra connections were not refused with RESOURCE_EXHAUSTED")
        XCTAssertEqual(outcome.refused, outcome.answered)
        await victim.close()
        let p50 = { (values: [Duration]) in values.sorted()[values.count / 2] }
        // Generous bound: the victim's calls keep answering well within 2 s each during the flood.
        XCTAssertLessThan(during.max() ?? .zero, .seconds(2), "a flood stalled another client's calls")
        print("health call p50/max: baseline \(p50(baseline))/\(baseline.max() ?? .zero), during flood \(p50(during))/\(during.max() ?? .zero); \(outcome.refused) refused")
    }
}
