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
        let warm = try await concurrentListMine(clients, count: 3 * poolSize)
        XCTAssertEqual(warm.failures, [], "reads before the restart")

        try own.restart(mode: "immediate")
        let afterRestart = try await concurrentListMine(clients, count: 3 * poolSize)
        XCTAssertEqual(afterRestart.failures, [], "reads right after the restart met dead pooled connections")
        XCTAssertEqual(afterRestart.succeeded, 3 * poolSize)
        await server.stop()
    }

    /// Runs `count` ListMine calls at once, spread over `clients`; returns how many succeeded and the
    /// failures' texts.
    private func concurrentListMine(_ clients: [TallyClient], count: Int) async throws
        -> (succeeded: Int, failures: [String])
    {
        try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<count {
                let client = clients[index % clients.count]
                group.addTask {
                    do {
                        let mine = try await client.listMine()
                        return mine.targets.isEmpty ? "ListMine answered no targets" : nil
                    } catch {
                        return "\(error)"
                    }
                }
            }
            var succeeded = 0
            var failures: [String] = []
            for try await failure in group {
                if let failure { failures.append(failure) } else { succeeded += 1 }
            }
            return (succeeded, failures)
        }
    }
}
