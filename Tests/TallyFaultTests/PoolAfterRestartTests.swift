import Foundation
import TallyClient
import TallyStore
import TallyWire
import TallyServerTestSupport
import XCTest

/// After PostgreSQL restarts, the pool's connections are all dead although nobody has used them yet.
/// The pool must find that out itself: reads right after the restart all succeed.
final class PoolAfterRestartTests: XCTestCase {
    func testReadsRightAfterAnImmediateRestartAllSucceed() async throws {
        let poolSize = 8
        let own = try OwnCluster()
        defer { own.destroy() }
        let server = try await TallyTestServer.start(database: own.database, configure: { $0.poolSize = poolSize })
        let clients = (0..<3).map { _ in server.client(server.marineToken, timeout: .seconds(10)) }

        // Every pooled connection is opened and then sits idle.
        let warm = try await ConcurrentReads.listMine(clients, count: 3 * poolSize)
        XCTAssertEqual(warm.failures, [], "reads before the restart")

        try own.restart(mode: "immediate")
        let afterRestart = try await ConcurrentReads.listMine(clients, count: 3 * poolSize)
        XCTAssertEqual(afterRestart.failures, [], "reads right after the restart met dead pooled connections")
        XCTAssertEqual(afterRestart.succeeded, 3 * poolSize)
        await server.stop()
    }
}
