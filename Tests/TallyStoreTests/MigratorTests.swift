import Foundation
import Synchronization
import TallyStore
import TallyTestSupport
import XCTest

final class MigratorTests: XCTestCase {
    private let migrations = [
        Migration(version: 1, name: "departments", sql: "CREATE TABLE departments (id int PRIMARY KEY, name text NOT NULL);"),
        Migration(
            version: 2, name: "reports",
            sql: """
                CREATE TABLE reports (id bigserial PRIMARY KEY, department int REFERENCES departments, amount numeric NOT NULL);
                CREATE INDEX reports_department ON reports (department);
                """),
        Migration(version: 3, name: "seed", sql: "INSERT INTO departments VALUES (1, '科技局');"),
    ]

    func testAppliesOnceThenNothing() throws {
        let connection = try PostgresConnection(configuration: TestDatabase.fresh())
        defer { connection.close() }
        XCTAssertEqual(try Migrator.migrate(connection, migrations), [1, 2, 3])
        XCTAssertEqual(try Migrator.migrate(connection, migrations), [])
        let recorded = try connection.execute("SELECT version, name FROM tally_migrations ORDER BY version").rows
        XCTAssertEqual(try recorded.map { try $0.decode(Int.self, at: 0) }, [1, 2, 3])
        XCTAssertEqual(try connection.execute("SELECT name FROM departments").rows[0].decode(String.self, at: 0), "科技局")
        let extended = migrations + [Migration(version: 4, name: "more", sql: "ALTER TABLE departments ADD COLUMN code text")]
        XCTAssertEqual(try Migrator.migrate(connection, extended), [4])
    }

    func testConcurrentRunsApplyEachVersionOnce() throws {
        try withTwoSessions { first, second in
            let results = ResultBox()
            let group = DispatchGroup()
            let migrations = self.migrations
            for connection in [first, second] {
                DispatchQueue.global().async(group: group) {
                    results.add(Result { try Migrator.migrate(connection, migrations) })
                }
            }
            XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
            let applied = try results.all.map { try $0.get() }
            XCTAssertEqual(applied.count, 2)
            XCTAssertEqual(applied.flatMap { $0 }.sorted(), [1, 2, 3])
            let counts = try first.execute("SELECT version, count(*) FROM tally_migrations GROUP BY version ORDER BY version").rows
            XCTAssertEqual(try counts.map { try $0.decode(Int.self, at: 1) }, [1, 1, 1])
        }
    }

    func testRenamedMigrationIsRefusedAndFailedOneIsNotRecorded() throws {
        let connection = try PostgresConnection(configuration: TestDatabase.fresh())
        defer { connection.close() }
        XCTAssertEqual(try Migrator.migrate(connection, Array(migrations.prefix(1))), [1])
        let renamed = [Migration(version: 1, name: "depts", sql: migrations[0].sql)]
        XCTAssertThrowsError(try Migrator.migrate(connection, renamed)) { error in
            XCTAssertTrue("\(error)".contains("\"departments\""), "\(error)")
        }
        let broken = [migrations[0], Migration(version: 2, name: "broken", sql: "CREATE TABLE x (id int); SELECT * FROM nowhere;")]
        XCTAssertThrowsError(try Migrator.migrate(connection, broken)) { error in
            XCTAssertEqual((error as? StoreError)?.sqlState, .undefinedTable)
            XCTAssertTrue("\(error)".contains("migration 2"), "\(error)")
        }
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM tally_migrations").rows[0].decode(Int.self, at: 0), 1)
        XCTAssertEqual(try connection.execute("SELECT to_regclass('x') IS NULL").rows[0].decode(Bool.self, at: 0), true)
    }
}

private final class ResultBox: Sendable {
    private let results = Mutex<[Result<[Int], Error>]>([])
    func add(_ result: Result<[Int], Error>) { results.withLock { $0.append(result) } }
    var all: [Result<[Int], Error>] { results.withLock { $0 } }
}
