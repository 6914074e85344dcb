import TallyStore
import TallyTestSupport
import XCTest

/// A plan cached while a table was nearly empty is made again, for the table as it is, once the
/// connection discards its plans: what the writer and the change feed do as the log grows.
final class ReplanTests: XCTestCase {
    func testTheScheduleIsDueEachTimeTheCountHasDoubled() {
        var schedule = ReplanSchedule(minimumGrowth: 1_000)
        XCTAssertFalse(schedule.isDue(at: 10), "the first count is where the plans were made")
        XCTAssertFalse(schedule.isDue(at: 999))
        XCTAssertTrue(schedule.isDue(at: 1_010), "grown by the minimum (and more than doubled)")
        XCTAssertFalse(schedule.isDue(at: 2_000))
        XCTAssertTrue(schedule.isDue(at: 2_020), "doubled since 1,010")
        XCTAssertFalse(schedule.isDue(at: 4_000))
        schedule.reset()
        XCTAssertFalse(schedule.isDue(at: 1_000_000), "a new connection's plans are made fresh")
        XCTAssertFalse(schedule.isDue(at: 1_500_000), "half again is not double")
        XCTAssertTrue(schedule.isDue(at: 2_000_000))
    }

    func testDiscardedPlansUseTheIndexOnceTheTableHasGrown() throws {
        let connection = try PostgresConnection(configuration: TestDatabase.fresh())
        defer { connection.close() }
        try connection.execute("CREATE TABLE log (sequence bigint PRIMARY KEY, body text NOT NULL)")
        try connection.execute("VACUUM ANALYZE log")  // known to be empty, as a freshly migrated database's log
        // The writer's read of a batch's changes has this shape.
        let read = "SELECT sequence FROM log WHERE sequence > $1 AND sequence <= $2 ORDER BY sequence"
        try connection.execute("PREPARE read_log(bigint, bigint) AS " + read)
        // Planned often enough on the empty table for PostgreSQL to keep one plan for every use.
        for _ in 0..<8 { try connection.execute("EXECUTE read_log(0, 30)") }
        try connection.execute("INSERT INTO log SELECT g, repeat('x', 200) FROM generate_series(1, 50000) g")
        func plan() throws -> String {
            try connection.execute("EXPLAIN EXECUTE read_log(49970, 50000)").rows
                .map { try $0.decode(String.self, at: 0) }.joined(separator: "\n")
        }
        let frozen = try plan()
        XCTAssertTrue(frozen.contains("Seq Scan on log"), "the plan made for the empty table: \(frozen)")
        try connection.discardPlans()
        let fresh = try plan()
        XCTAssertFalse(fresh.contains("Seq Scan"), "planned again for 50,000 rows: \(fresh)")
        XCTAssertTrue(fresh.contains("log_pkey"), fresh)
    }
}
