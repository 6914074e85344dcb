import Foundation
import TallyStore
import TallyTestSupport
import XCTest

final class ErrorTests: XCTestCase {
    func testUniqueViolationCarriesSQLState() throws {
        let connection = try PostgresConnection(configuration: TestDatabase.fresh())
        defer { connection.close() }
        try connection.execute("CREATE TABLE reports (id int PRIMARY KEY)")
        try connection.execute("INSERT INTO reports VALUES ($1)", [.int32(1)])
        XCTAssertThrowsError(try connection.execute("INSERT INTO reports VALUES ($1)", [.int32(1)])) { error in
            guard let error = error as? StoreError else { return XCTFail("not a StoreError: \(error)") }
            XCTAssertEqual(error.kind, .query)
            XCTAssertEqual(error.sqlState, .uniqueViolation)
            XCTAssertEqual(error.sqlState?.rawValue, "23505")
            XCTAssertEqual(error.constraintName, "reports_pkey")
            XCTAssertNotNil(error.detail)
            XCTAssertFalse(error.isRetryable)
            XCTAssertTrue(error.description.contains("23505"), error.description)
        }
        // The connection stays usable after a query error.
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM reports").rows[0].decode(Int.self, at: 0), 1)
    }

    func testSyntaxErrorAndDescriptionHidesParameters() throws {
        let connection = try PostgresConnection(configuration: TestDatabase.fresh())
        defer { connection.close() }
        XCTAssertThrowsError(try connection.execute("SELEC 1")) { error in
            XCTAssertEqual((error as? StoreError)?.sqlState, .syntaxError)
        }
        XCTAssertThrowsError(try connection.execute("SELECT $1::int", [.text("secret-token-42")])) { error in
            guard let error = error as? StoreError else { return XCTFail("not a StoreError") }
            XCTAssertEqual(error.sqlState, .invalidTextRepresentation)
            XCTAssertFalse(error.description.contains("secret-token-42"), error.description)
            XCTAssertTrue(error.message.contains("integer"), error.message)
        }
    }

    func testClosedPortFailsQuicklyAndClearly() throws {
        let port = LocalCluster.freePort()
        let started = ContinuousClock.now
        let configuration = PostgresConfiguration(conninfo: "host=127.0.0.1 port=\(port) user=postgres password=hunter2secret dbname=tally")
        XCTAssertThrowsError(try PostgresConnection(configuration: configuration)) { error in
            guard let error = error as? StoreError else { return XCTFail("not a StoreError") }
            XCTAssertEqual(error.kind, .connectionFailed)
            XCTAssertTrue(error.message.contains("\(port)"), error.message)
            XCTAssertTrue(error.message.lowercased().contains("refused"), error.message)
            XCTAssertFalse(error.description.contains("hunter2secret"), error.description)
        }
        XCTAssertLessThan(started.duration(to: .now), .seconds(3))
        XCTAssertFalse(configuration.description.contains("hunter2secret"), configuration.description)
    }

    func testWrongDatabaseNameIsMentioned() throws {
        let configuration = try TestDatabase.fresh().database("no_such_database_xyz")
        XCTAssertThrowsError(try PostgresConnection(configuration: configuration)) { error in
            guard let error = error as? StoreError else { return XCTFail("not a StoreError") }
            XCTAssertEqual(error.kind, .connectionFailed)
            XCTAssertTrue(error.message.contains("no_such_database_xyz"), error.message)
        }
    }

    func testInvalidConninfoIsAnError() {
        XCTAssertThrowsError(try PostgresConnection(configuration: PostgresConfiguration(conninfo: "host=x nonsense_option=1"))) { error in
            XCTAssertEqual((error as? StoreError)?.kind, .connectionFailed)
        }
    }

    func testTerminatedBackendIsARetryableConnectionLoss() throws {
        try withTwoSessions { victim, killer in
            try killer.execute("SELECT pg_terminate_backend($1, $2)", [.int32(Int32(victim.backendPID)), .int64(5000)])
            XCTAssertThrowsError(try victim.execute("SELECT 1")) { error in
                guard let error = error as? StoreError else { return XCTFail("not a StoreError") }
                XCTAssertEqual(error.kind, .connectionLost, error.debugDescription)
                XCTAssertTrue(error.isRetryable)
            }
            XCTAssertFalse(victim.isHealthy)
            XCTAssertThrowsError(try victim.execute("SELECT 1")) { error in
                XCTAssertEqual((error as? StoreError)?.kind, .connectionLost)
            }
        }
    }
}
