import Foundation
import TallyStore
import TallyTestSupport
import XCTest

final class ValueRoundTripTests: XCTestCase {
    func testEveryTypeRoundTripsIncludingNull() throws {
        let connection = try PostgresConnection(configuration: TestDatabase.fresh())
        defer { connection.close() }
        try connection.execute(
            """
            CREATE TABLE everything (id int8, small int4, name text, flag bool, at timestamptz,
                amount numeric, key uuid, blob bytea)
            """)
        let at = Date(timeIntervalSince1970: 1_700_000_000.123456)
        let key = UUID()
        let amount = Decimal(string: "-1234.5600")!
        let values: [PostgresValue] = [
            .int64(Int64.max), .int32(Int32.min), .text("hello"), .bool(true), .timestamp(at),
            .decimal(amount), .uuid(key), .bytes([0, 1, 0xfe, 0xff]),
        ]
        try connection.execute("INSERT INTO everything VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", values)
        try connection.execute(
            "INSERT INTO everything VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", Array(repeating: .null, count: 8))

        let rows = try connection.execute("SELECT * FROM everything ORDER BY id NULLS LAST").rows
        XCTAssertEqual(rows.count, 2)
        let row = rows[0]
        XCTAssertEqual(try row.decode(Int64.self, column: "id"), Int64.max)
        XCTAssertEqual(try row.decode(Int32.self, column: "small"), Int32.min)
        XCTAssertEqual(try row.decode(Int.self, at: 1), Int(Int32.min))
        XCTAssertEqual(try row.decode(String.self, column: "name"), "hello")
        XCTAssertEqual(try row.decode(Bool.self, column: "flag"), true)
        XCTAssertEqual(try row.decode(Date.self, column: "at"), at)
        XCTAssertEqual(try row.decode(Decimal.self, column: "amount"), amount)
        XCTAssertEqual(try row.decode(UUID.self, column: "key"), key)
        XCTAssertEqual(try row.decode([UInt8].self, column: "blob"), [0, 1, 0xfe, 0xff])

        let empty = rows[1]
        XCTAssertNil(try empty.decode(Int64?.self, column: "id"))
        XCTAssertNil(try empty.decode(Int32?.self, column: "small"))
        XCTAssertNil(try empty.decode(String?.self, column: "name"))
        XCTAssertNil(try empty.decode(Bool?.self, column: "flag"))
        XCTAssertNil(try empty.decode(Date?.self, column: "at"))
        XCTAssertNil(try empty.decode(Decimal?.self, column: "amount"))
        XCTAssertNil(try empty.decode(UUID?.self, column: "key"))
        XCTAssertEqual(try row.decode(String?.self, column: "name"), "hello")
        XCTAssertThrowsError(try empty.decode(Int64.self, column: "id")) { error in
            XCTAssertEqual((error as? StoreError)?.kind, .decoding)
        }
        XCTAssertThrowsError(try row.decode(Int64.self, column: "nope")) { error in
            XCTAssertEqual((error as? StoreError)?.kind, .decoding)
        }
    }

    func testTimestampsKeepMicrosecondsAndConvertOffsets() throws {
        let connection = try PostgresConnection(configuration: TestDatabase.fresh())
        defer { connection.close() }
        let row = try connection.execute(
            "SELECT '2024-02-29 20:34:56.789012+08'::timestamptz, $1::timestamptz, '1999-12-31 23:59:59'::timestamp",
            [.timestamp(Date(timeIntervalSince1970: -0.000001))]
        ).rows[0]
        // 2024-02-29 12:34:56.789012 UTC
        let expected = Date(timeIntervalSince1970: 1_709_210_096.789012)
        XCTAssertEqual(try row.decode(Date.self, at: 0).timeIntervalSince1970, expected.timeIntervalSince1970, accuracy: 0.0000005)
        XCTAssertEqual(try row.decode(String.self, at: 0), "2024-02-29 12:34:56.789012+00")
        XCTAssertEqual(try row.decode(Date.self, at: 1), Date(timeIntervalSince1970: -0.000001))
        XCTAssertEqual(try row.decode(Date.self, at: 2), Date(timeIntervalSince1970: 946_684_799))
    }

    func testChineseTextRoundTripsAndMatchesInWhere() throws {
        let connection = try PostgresConnection(configuration: TestDatabase.fresh())
        defer { connection.close() }
        try connection.execute("CREATE TABLE departments (name text PRIMARY KEY, goal text)")
        let names = ["科技局", "发展和改革委员会", "创新突破年 🚀"]
        for name in names {
            try connection.execute("INSERT INTO departments VALUES ($1, $2)", [.text(name), .text("目标：\(name)")])
        }
        let found = try connection.execute("SELECT name, goal, length(name) FROM departments WHERE name = $1", [.text("科技局")])
        XCTAssertEqual(found.rows.count, 1)
        XCTAssertEqual(try found.rows[0].decode(String.self, at: 0), "科技局")
        XCTAssertEqual(try found.rows[0].decode(String.self, at: 1), "目标：科技局")
        XCTAssertEqual(try found.rows[0].decode(Int.self, at: 2), 3)
        let all = try connection.execute("SELECT name FROM departments ORDER BY name").rows.map { try $0.decode(String.self, at: 0) }
        XCTAssertEqual(Set(all), Set(names))
        let like = try connection.execute("SELECT count(*) FROM departments WHERE goal LIKE $1", [.text("%创新%")])
        XCTAssertEqual(try like.rows[0].decode(Int.self, at: 0), 1)
    }

    func testPreparedStatementsAreReused() throws {
        let connection = try PostgresConnection(configuration: TestDatabase.fresh())
        defer { connection.close() }
        try connection.execute("CREATE TABLE t (n int8)")
        for value in 1...5 {
            try connection.executePrepared("INSERT INTO t VALUES ($1)", [.int(value)])
        }
        let prepared = try connection.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1", [.text("INSERT INTO t VALUES ($1)")])
        XCTAssertEqual(try prepared.rows[0].decode(Int.self, at: 0), 1)
        let sum = try connection.executePrepared("SELECT sum(n) FROM t WHERE n > $1", [.int(0)])
        XCTAssertEqual(try sum.rows[0].decode(Decimal.self, at: 0), 15)
        XCTAssertThrowsError(try connection.executePrepared("SELECT * FROM missing_table")) { error in
            XCTAssertEqual((error as? StoreError)?.sqlState, .undefinedTable)
        }
    }
}
