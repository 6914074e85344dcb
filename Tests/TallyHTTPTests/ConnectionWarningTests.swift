import Foundation
import TallyServerTestSupport
import TallyTestSupport
import XCTest

/// Connection counts reach the operator at warning level: once when a listener's open connections
/// pass the threshold, and at notice level when they fall back.
final class ConnectionWarningTests: XCTestCase {
    private static let above = "warning open connections above the warning threshold"
    private static let below = "notice open connections back below the warning threshold"

    func testRPCConnectionsPastTheThresholdAreLoggedOnceAtWarning() async throws {
        let capture = LogCapture()
        let harness = try await SideDoorHarness.start(logHandler: capture.handler, server: { $0.connectionWarningThreshold = 2 })
        let server = try harness.server
        let clients = (0..<2).map { _ in server.client(server.centralToken) }
        for client in clients { _ = try await client.dashboard() }
        XCTAssertEqual(Self.lines(capture, Self.above, "rpc"), 0, "two open connections are within the threshold")
        let more = (0..<2).map { _ in server.client(server.centralToken) }
        for client in more { _ = try await client.dashboard() }
        XCTAssertEqual(Self.lines(capture, Self.above, "rpc"), 1, "one line for the crossing, not one per connection: \(capture.all)")
        XCTAssertTrue(capture.all.contains { $0.hasPrefix(Self.above) && $0.contains("\"open\": 3") }, "\(capture.all)")

        for client in clients + more { await client.close() }
        try await within(.seconds(20), "the count falling back") {
            while Self.lines(capture, Self.below, "rpc") == 0 { try await Task.sleep(for: .milliseconds(20)) }
        }
        await harness.stop()
    }

    func testHTTPConnectionsPastTheThresholdAreLoggedOnceAtWarning() async throws {
        let capture = LogCapture()
        let harness = try await SideDoorHarness.start(logHandler: capture.handler, door: { $0.connectionWarningThreshold = 2 })
        let cookie = try await XCTUnwrapAsync(await harness.login(harness.tokens.centralToken))
        var streams: [EventStreamReader] = []
        for _ in 0..<4 {
            let reader = try EventStreamReader(port: harness.httpPort, path: "/events", cookie: cookie)
            XCTAssertEqual(try reader.next().name, "snapshot")
            streams.append(reader)
        }
        XCTAssertEqual(Self.lines(capture, Self.above, "http"), 1, "\(capture.all.filter { $0.contains("threshold") })")
        let open = try harness.door.connectionCount
        XCTAssertGreaterThanOrEqual(open, 4)
        // The browsers go away (a gone browser is otherwise noticed at the next keep-alive, 15 s).
        streams.removeAll()
        _ = try await harness.request("POST", "/logout", cookie: cookie)
        try await within(.seconds(20), "the count falling back") {
            while Self.lines(capture, Self.below, "http") == 0 { try await Task.sleep(for: .milliseconds(20)) }
        }
        await harness.stop()
    }

    private static func lines(_ capture: LogCapture, _ prefix: String, _ listener: String) -> Int {
        capture.all.filter { $0.hasPrefix(prefix) && $0.contains("\"listener\": \(listener)") }.count
    }
}
