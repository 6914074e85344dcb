import Foundation
import Logging
import TallyHTTP
import TallyTestSupport
import TallyMessages
import TallyServerTestSupport
import XCTest

/// `/metrics` is scraped as Prometheus would, and its figures move with the calls made.
final class SideDoorMetricsTests: XCTestCase {
    func testCountersAndHistogramsMoveWithCalls() async throws {
        let harness = try await SideDoorHarness.start()
        let method = Tally_V1_Reporting.Method.reportTarget.path
        let calls = "tally_rpc_calls_total{method=\"\(method)\",status=\"OK\"}"
        let refused = "tally_rpc_calls_total{method=\"\(method)\",status=\"UNAUTHENTICATED\"}"
        let latency = "tally_rpc_call_duration_seconds_count{method=\"\(method)\"}"
        let batches = "tally_writer_batch_size_count"
        let commits = "tally_writer_commit_seconds_count"

        let before = try await scrape(harness)
        let marine = try harness.server.marine
        for _ in 0..<3 {
            _ = try await marine.reportTarget(Requests.increment(SideDoorEndpointTests.target))
        }
        await assertStatus(.unauthenticated) {
            try await harness.server.client("tly_not-a-token").reportTarget(Requests.increment(SideDoorEndpointTests.target))
        }
        let after = try await scrape(harness)

        XCTAssertEqual(after[calls, default: 0] - before[calls, default: 0], 3, "calls by method and status")
        XCTAssertEqual(after[refused, default: 0] - before[refused, default: 0], 1, "refused calls count under their status")
        XCTAssertEqual(after[latency, default: 0] - before[latency, default: 0], 4, "every call's latency is recorded")
        XCTAssertGreaterThanOrEqual(after[batches, default: 0] - before[batches, default: 0], 1, "writer batch sizes")
        XCTAssertGreaterThanOrEqual(after[commits, default: 0] - before[commits, default: 0], 1, "writer commit time")
        XCTAssertEqual(after["tally_postgres_up"], 1)
        XCTAssertEqual(after["tally_change_feed_lag"].map { $0 >= 0 }, true)
        XCTAssertNotNil(after["tally_pool_in_use"])
        XCTAssertNotNil(after["tally_pool_waiting"])

        // A browser on /events is a watcher; an RPC client holds a connection.
        let cookie = try await XCTUnwrapAsync(await harness.login(harness.tokens.centralToken))
        let reader = try EventStreamReader(port: harness.httpPort, path: "/events", cookie: cookie)
        _ = try reader.next()
        let watching = try await scrape(harness)
        XCTAssertEqual(watching["tally_watchers", default: 0] - after["tally_watchers", default: 0], 1, "the browser's stream is a watcher")
        XCTAssertGreaterThanOrEqual(watching["tally_http_connections", default: 0] - after["tally_http_connections", default: 0], 1,
                                    "and an open HTTP connection")
        XCTAssertGreaterThanOrEqual(watching["tally_rpc_connections", default: 0], 1, "the RPC client's connection")
        await harness.stop()
    }

    func testWithTheServerDownPostgresReadsUnreachableAndReadinessFails() async throws {
        var logger = Logger(label: "tally.test.http")
        logger.logLevel = .error
        let door = HTTPSideDoor(configuration: HTTPSideDoorConfiguration(host: "127.0.0.1", port: 0), logger: logger, view: { nil })
        let port = try await door.start()
        let metrics = try ToolProcess.run("/usr/bin/curl", ["-sS", "--max-time", "30", "http://127.0.0.1:\(port)/metrics"])
        XCTAssertTrue(metrics.output.contains("\ntally_postgres_up 0"), metrics.output)
        let ready = try ToolProcess.run("/usr/bin/curl", ["-sS", "--max-time", "30", "-o", "/dev/null", "-w", "%{http_code}",
                                                          "http://127.0.0.1:\(port)/readyz"])
        XCTAssertEqual(ready.output, "503")
        await door.shutdown()
    }

    /// Every sample line of a scrape, by its name and labels.
    private func scrape(_ harness: SideDoorHarness) async throws -> [String: Double] {
        let reply = try await harness.request("GET", "/metrics")
        XCTAssertEqual(reply.status, 200)
        XCTAssertTrue(reply.headers["content-type"]?.hasPrefix("text/plain") ?? false)
        var samples: [String: Double] = [:]
        for line in reply.body.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }
}
