import Foundation
import TallyClient
import TallyStore
import TallyWire
import TallyServerTestSupport
import XCTest

/// After PostgreSQL restarts, the pool's and the writer's connections are all dead although nobody has
/// used them yet. They must find that out before sending: reads and writes right after the restart succeed.
final class PoolAfterRestartTests: XCTestCase {
    func testReadsAndWritesRightAfterAnImmediateRestartAllSucceed() async throws {
        let poolSize = 8
        let own = try OwnCluster()
        defer { own.destroy() }
        let server = try await TallyTestServer.start(database: own.database, configure: { $0.poolSize = poolSize })
        let clients = (0..<3).map { _ in server.client(server.marineToken, timeout: .seconds(10)) }

        // Every pooled connection, and the writer's, is opened and then sits idle.
        let warm = try await ConcurrentReads.listMine(clients, count: 3 * poolSize)
        XCTAssertEqual(warm.failures, [], "reads before the restart")
        _ = try await clients[0].reportTarget(Requests.increment(Plan.marineTargets[0], id: "before-restart"))

        try own.restart(mode: "immediate")
        // The writer replaces its dead connection before sending: the first write is not refused.
        let write = try await clients[0].reportTarget(Requests.increment(Plan.marineTargets[0], id: "after-restart"))
        XCTAssertGreaterThan(write.sequence, 0)
        let afterRestart = try await ConcurrentReads.listMine(clients, count: 3 * poolSize)
        XCTAssertEqual(afterRestart.failures, [], "reads right after the restart met dead pooled connections")
        XCTAssertEqual(afterRestart.succeeded, 3 * poolSize)
        await server.stop()
    }
}
