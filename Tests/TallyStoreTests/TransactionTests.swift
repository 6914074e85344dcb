import Foundation
import TallyStore
import TallyTestSupport
import XCTest

final class TransactionTests: XCTestCase {
    private struct Boom: Error {}

    func testCommitOnReturnRollbackOnThrow() throws {
        let connection = try PostgresConnection(configuration: TestDatabase.fresh())
        defer { connection.close() }
        try connection.execute("CREATE TABLE t (n int)")
        let value = try connection.transaction { connection in
            try connection.execute("INSERT INTO t VALUES (1)")
            return 42
        }
        XCTAssertEqual(value, 42)
        XCTAssertThrowsError(
            try connection.transaction { connection in
                try connection.execute("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        ) { error in XCTAssertTrue(error is Boom) }
        let rows = try connection.execute("SELECT n FROM t ORDER BY n").rows.map { try $0.decode(Int.self, at: 0) }
        XCTAssertEqual(rows, [1])
    }

    func testSwallowedStatementErrorMakesCommitFail() throws {
        let connection = try PostgresConnection(configuration: TestDatabase.fresh())
        defer { connection.close() }
        try connection.execute("CREATE TABLE t (n int PRIMARY KEY)")
        XCTAssertThrowsError(
            try connection.transaction { connection in
                try connection.execute("INSERT INTO t VALUES (1)")
                _ = try? connection.execute("INSERT INTO t VALUES (1)")
            }
        ) { error in XCTAssertEqual((error as? StoreError)?.sqlState, .inFailedSQLTransaction) }
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM t").rows[0].decode(Int.self, at: 0), 0)
    }
}
