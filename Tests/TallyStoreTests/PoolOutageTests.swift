import Dispatch
import Foundation
import Synchronization
import TallyTestSupport
import XCTest

@testable import TallyStore

private final class Opened: Sendable {
    private let all = Mutex<[FakePoolConnection]>([])
    func make() -> FakePoolConnection {
        all.withLock { all in
            let connection = FakePoolConnection(id: all.count + 1)
            all.append(connection)
            return connection
        }
    }
    var connections: [FakePoolConnection] { all.withLock { $0 } }
}

final class PoolOutageTests: XCTestCase {
    private func makePool(size: Int, opened: Opened) -> PoolCore<FakePoolConnection> {
        PoolCore(size: size, acquireTimeout: .seconds(5), label: "outage-test") { opened.make() }
    }

    /// Opens `count` connections at once so that all of them sit idle in the pool afterwards.
    private func warm(_ pool: PoolCore<FakePoolConnection>, _ count: Int) async throws {
        let gate = DispatchGroup()
        gate.enter()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<count { group.addTask { try await pool.withConnection { connection in
                gate.wait()
                return connection.id
            } } }
            await waitUntil { pool.usage.inUse == count }  // every call holds a slot of its own
            gate.leave()
            for try await _ in group {}
        }
    }

    func testIdleConnectionsClosedByTheServerAreReplacedBeforeAnythingIsSent() async throws {
        let opened = Opened()
        let pool = makePool(size: 4, opened: opened)
        try await warm(pool, 4)
        XCTAssertEqual(opened.connections.count, 4)
        for connection in opened.connections { connection.closedByServer = true }  // the outage
        // Writes (no retry) on every slot: each must get a live connection.
        let ids = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<12 { group.addTask { try await pool.withConnection { try $0.query() } } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        XCTAssertEqual(ids.count, 12)
        XCTAssertTrue(ids.allSatisfy { $0 > 4 }, "a dead connection was used: \(ids)")
        XCTAssertTrue(opened.connections.prefix(4).allSatisfy(\.closed), "dead connections are closed")
    }

    func testReadRunsOnceMoreWhenAnIdleConnectionDiesDuringTheCall() async throws {
        let opened = Opened()
        let pool = makePool(size: 1, opened: opened)
        _ = try await pool.withConnection { try $0.query() }
        opened.connections[0].diesOnNextUse = true
        let attempts = Opened()
        let id = try await pool.withConnection(retry: .onceIfIdleConnectionDied) { connection in
            _ = attempts.make()
            return try connection.query()
        }
        XCTAssertEqual(id, 2, "the read ran again on a fresh connection")
        XCTAssertEqual(attempts.connections.count, 2)
    }

    func testWriteIsNotRunAgainWhenItsConnectionDiesDuringTheCall() async throws {
        let opened = Opened()
        let pool = makePool(size: 1, opened: opened)
        _ = try await pool.withConnection { try $0.query() }
        opened.connections[0].diesOnNextUse = true
        let attempts = Opened()
        do {
            _ = try await pool.withConnection { connection in
                _ = attempts.make()
                return try connection.query()
            }
            XCTFail("the write should have failed: its statement may have been sent")
        } catch let error as StoreError {
            XCTAssertEqual(error.kind, .connectionLost)
            XCTAssertTrue(error.isRetryable)
        }
        XCTAssertEqual(attempts.connections.count, 1, "a write runs at most once")
        let next = try await pool.withConnection { try $0.query() }
        XCTAssertEqual(next, 2, "replaced on next use")
    }

    func testReadOnAFreshConnectionThatFailsIsNotRetried() async throws {
        let opened = Opened()
        let pool = makePool(size: 1, opened: opened)
        let attempts = Opened()
        do {
            _ = try await pool.withConnection(retry: .onceIfIdleConnectionDied) { connection in
                _ = attempts.make()
                connection.diesOnNextUse = true
                return try connection.query()
            }
            XCTFail("a connection lost on a fresh connection is an outage: fail fast")
        } catch let error as StoreError {
            XCTAssertEqual(error.kind, .connectionLost)
        }
        XCTAssertEqual(attempts.connections.count, 1)
    }

    func testALostConnectionMakesThePoolCheckEveryIdleConnection() async throws {
        let opened = Opened()
        let pool = makePool(size: 3, opened: opened)
        try await warm(pool, 3)
        let all = opened.connections
        // One call meets the outage mid-statement (its check had passed); the others are idle.
        _ = try? await pool.withConnection { connection in
            for other in all where other !== connection { other.closedByServer = true }
            connection.diesOnNextUse = true
            return try connection.query()
        }
        // The remaining idle connections are checked and closed without anyone using them.
        await waitUntil { all.allSatisfy(\.closed) }
        XCTAssertEqual(all.filter { !$0.closed }.map(\.id), [], "idle connections left unchecked")
    }
}
