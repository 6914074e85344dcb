import Foundation
import TallyStore
import TallyTestSupport
import XCTest

final class PipelineTests: XCTestCase {
    func testSeveralStatementsInOneRoundTrip() throws {
        let connection = try PostgresConnection(configuration: TestDatabase.fresh())
        defer { connection.close() }
        try connection.execute("CREATE TABLE totals (dept text PRIMARY KEY, amount numeric NOT NULL)")
        let results = try connection.pipeline([
            Statement("BEGIN"),
            Statement("INSERT INTO totals VALUES ($1, $2)", [.text("科技局"), .decimal(100)]),
            Statement("INSERT INTO totals VALUES ($1, $2)", [.text("财政局"), .decimal(60)]),
            Statement("UPDATE totals SET amount = amount + $1 WHERE dept = $2", [.decimal(30), .text("科技局")]),
            Statement("SELECT sum(amount) FROM totals"),
            Statement("COMMIT"),
        ])
        XCTAssertEqual(results.count, 6)
        let values = try results.map { try $0.get() }
        XCTAssertEqual(values[1].affectedRows, 1)
        XCTAssertEqual(values[3].affectedRows, 1)
        XCTAssertEqual(try values[4].rows[0].decode(Decimal.self, at: 0), 190)
        XCTAssertEqual(values[5].command, "COMMIT")
        XCTAssertEqual(try connection.execute("SELECT sum(amount) FROM totals").rows[0].decode(Decimal.self, at: 0), 190)
        XCTAssertEqual(try connection.pipeline([]).count, 0)
    }

    func testOneFailureRollsBackTheWholeTransaction() throws {
        let connection = try PostgresConnection(configuration: TestDatabase.fresh())
        defer { connection.close() }
        try connection.execute("CREATE TABLE totals (dept text PRIMARY KEY, amount numeric NOT NULL)")
        try connection.execute("INSERT INTO totals VALUES ('existing', 1)")
        let results = try connection.pipeline([
            Statement("BEGIN"),
            Statement("INSERT INTO totals VALUES ($1, $2)", [.text("new"), .decimal(5)]),
            Statement("INSERT INTO totals VALUES ($1, $2)", [.text("existing"), .decimal(7)]),
            Statement("UPDATE totals SET amount = amount + 1"),
            Statement("COMMIT"),
        ])
        XCTAssertEqual(results.count, 5)
        XCTAssertNoThrow(try results[0].get())
        XCTAssertNoThrow(try results[1].get())
        XCTAssertThrowsError(try results[2].get()) { error in
            XCTAssertEqual((error as? StoreError)?.sqlState, .uniqueViolation)
        }
        for index in 3...4 {
            XCTAssertThrowsError(try results[index].get()) { error in
                XCTAssertEqual((error as? StoreError)?.kind, .query)
                XCTAssertTrue((error as? StoreError)?.message.contains("not executed") ?? false)
            }
        }
        let rows = try connection.execute("SELECT dept, amount FROM totals").rows
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(try rows[0].decode(Decimal.self, column: "amount"), 1)
        XCTAssertTrue(connection.isHealthy)
        XCTAssertNoThrow(try connection.execute("BEGIN"))
        XCTAssertNoThrow(try connection.execute("ROLLBACK"))
    }
}
