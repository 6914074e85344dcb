import Foundation
import TallyStore
import TallyTestSupport
import XCTest

final class ConnectionPoolTests: XCTestCase {
    func testRunsQueriesAndTransactions() async throws {
        let pool = ConnectionPool(configuration: try TestDatabase.fresh(), size: 2)
        defer { pool.close() }
        try await pool.withConnection { try $0.execute("CREATE TABLE t (n int)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for value in 1...10 {
                group.addTask { () async throws -> Void in
                    _ = try await pool.withTransaction { try $0.execute("INSERT INTO t VALUES ($1)", [.int(value)]) }
                }
            }
            try await group.waitForAll()
        }
        let sum = try await pool.withConnection { try $0.execute("SELECT sum(n) FROM t").rows[0].decode(Int.self, at: 0) }
        XCTAssertEqual(sum, 55)
    }

    func testExhaustedPoolFailsAfterTheAcquireTimeout() async throws {
        let pool = ConnectionPool(configuration: try TestDatabase.fresh(), size: 1, acquireTimeout: .milliseconds(200))
        defer { pool.close() }
        let holding = expectation(description: "holding the only connection")
        let release = DispatchSemaphore(value: 0)
        let holder = Task {
            try await pool.withConnection { connection in
                holding.fulfill()
                release.wait()
                return try connection.execute("SELECT 1").rows.count
            }
        }
        await fulfillment(of: [holding], timeout: 10)
        let started = ContinuousClock.now
        do {
            _ = try await pool.withConnection { _ in 0 }
            XCTFail("acquired a connection from an exhausted pool")
        } catch let error as StoreError {
            XCTAssertEqual(error.kind, .poolExhausted)
            XCTAssertTrue(error.isRetryable)
            XCTAssertTrue(error.message.contains("pool size 1"), error.message)
        }
        let waited = started.duration(to: .now)
        XCTAssertGreaterThanOrEqual(waited, .milliseconds(150))
        XCTAssertLessThan(waited, .seconds(3))
        release.signal()
        let count = try await holder.value
        XCTAssertEqual(count, 1)
        let after = try await pool.withConnection { try $0.execute("SELECT 2").rows.count }
        XCTAssertEqual(after, 1)
    }

    func testPoolReplacesAConnectionWhoseBackendWasTerminatedWhileIdle() async throws {
        let configuration = try TestDatabase.fresh()
        let pool = ConnectionPool(configuration: configuration, size: 1)
        defer { pool.close() }
        let firstPID = try await pool.withConnection { $0.backendPID }
        let killer = try PostgresConnection(configuration: configuration)
        defer { killer.close() }
        let killed = try killer.execute("SELECT pg_terminate_backend($1, $2)", [.int32(Int32(firstPID)), .int64(5000)])
        XCTAssertEqual(try killed.rows[0].decode(Bool.self, at: 0), true)
        // The dead connection is found before anything is sent on it: even a write goes through.
        let secondPID = try await pool.withConnection { connection in
            _ = try connection.execute("SELECT 1")
            return connection.backendPID
        }
        XCTAssertNotEqual(secondPID, firstPID)
    }

    func testStatementThatLosesItsConnectionFailsRetryablyAndTheConnectionIsReplaced() async throws {
        let configuration = try TestDatabase.fresh()
        let pool = ConnectionPool(configuration: configuration, size: 1)
        defer { pool.close() }
        let firstPID = try await pool.withConnection { $0.backendPID }
        do {
            _ = try await pool.withConnection { try $0.execute("SELECT pg_terminate_backend(pg_backend_pid())") }
            XCTFail("a terminated backend answered")
        } catch let error as StoreError {
            XCTAssertEqual(error.kind, .connectionLost, error.debugDescription)
            XCTAssertTrue(error.isRetryable)
        }
        let secondPID = try await pool.withConnection { connection in
            _ = try connection.execute("SELECT 1")
            return connection.backendPID
        }
        XCTAssertNotEqual(secondPID, firstPID)
    }

    func testUnreachableServerFailsEachCallWithoutHanging() async throws {
        let configuration = PostgresConfiguration(conninfo: "host=127.0.0.1 port=\(LocalCluster.freePort()) dbname=x")
        let pool = ConnectionPool(configuration: configuration, size: 1, acquireTimeout: .seconds(1))
        defer { pool.close() }
        for _ in 0..<2 {
            do {
                _ = try await pool.withConnection { _ in 1 }
                XCTFail("connected to a closed port")
            } catch let error as StoreError {
                XCTAssertEqual(error.kind, .connectionFailed)
            }
        }
    }

    func testClosedPoolRefusesWork() async throws {
        let pool = ConnectionPool(configuration: try TestDatabase.fresh(), size: 1)
        _ = try await pool.withConnection { try $0.execute("SELECT 1") }
        pool.close()
        do {
            _ = try await pool.withConnection { _ in 1 }
            XCTFail("closed pool ran work")
        } catch let error as StoreError {
            XCTAssertEqual(error.kind, .poolClosed)
        }
    }
}
