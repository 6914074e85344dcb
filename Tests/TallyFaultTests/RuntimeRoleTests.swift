import Foundation
import TallyClient
import TallyCore
import TallyStore
import TallyTestSupport
import TallyServerTestSupport
import XCTest

/// Least privilege in PostgreSQL: an owner role (not a superuser) migrates and grants; the runtime
/// role `tally serve` connects as serves every call, and cannot alter, drop or disable anything, nor
/// rewrite the change log, nor create roles or objects.
final class RuntimeRoleTests: XCTestCase {
    func testRuntimeRoleServesButCannotTouchTheLogsHistory() async throws {
        let administrator = try TestDatabase.fresh()
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let ownerRole = "tally_owner_\(suffix)", runtimeRole = "tally_runtime_\(suffix)"
        // A new deployment: an owner role that may create roles, owning the database.
        let database = try DB.text(administrator, "SELECT current_database()::text")
        _ = try DB.query(administrator, "CREATE ROLE \(ownerRole) LOGIN CREATEROLE")
        _ = try DB.query(administrator, "ALTER DATABASE \"\(database)\" OWNER TO \(ownerRole)")
        let owner = try administrator.user(ownerRole)
        let runtime = try administrator.user(runtimeRole)

        let applied = try TallyDatabase.migrate(owner, runtimeRole: runtimeRole)
        XCTAssertEqual(applied, TallyDatabase.migrations.map(\.version))
        XCTAssertEqual(try TallyDatabase.migrate(owner, runtimeRole: runtimeRole), [], "a second run changes nothing")
        XCTAssertEqual(try DB.text(administrator, "SELECT tableowner::text FROM pg_tables WHERE tablename = 'change_log'"), ownerRole)

        // The runtime role serves: start (nothing to migrate), seed, credentials, reports, reads.
        let server = try await TallyTestServer.start(database: runtime)
        let marine = server.client(server.marineToken)
        let reply = try await marine.reportTarget(Requests.increment(Plan.marineTargets[0], by: "2.5"))
        let dashboard = try await server.dashboard(server.client(server.centralToken), atLeast: reply.sequence)
        XCTAssertGreaterThanOrEqual(dashboard.sequence, reply.sequence)
        await server.stop()

        // Everything forbidden, tried as the runtime role.
        let connection = try PostgresConnection(configuration: runtime)
        defer { connection.close() }
        XCTAssertEqual(try connection.execute("SELECT current_user::text").rows.first?.decode(String.self, at: 0), runtimeRole)
        let forbidden = [
            "UPDATE change_log SET new_value = '0' WHERE sequence = 1",
            "DELETE FROM change_log WHERE sequence = 1",
            "TRUNCATE change_log",
            "ALTER TABLE change_log DISABLE TRIGGER change_log_append_only",
            "ALTER TABLE change_log DISABLE TRIGGER ALL",
            "DROP TRIGGER change_log_append_only ON change_log",
            "DROP TABLE change_log",
            "ALTER TABLE targets ADD COLUMN sneaky int",
            "DROP FUNCTION tally_change_log_is_append_only() CASCADE",
            "SET session_replication_role = replica",
            "CREATE ROLE sneaky_\(suffix) LOGIN SUPERUSER",
            "CREATE ROLE sneaky_\(suffix) LOGIN",
            "CREATE TABLE sneaky (x int)",
            "INSERT INTO tally_migrations (version, name) VALUES (999, 'sneaky')",
        ]
        for sql in forbidden {
            XCTAssertThrowsError(try connection.execute(sql), sql) { error in
                XCTAssertEqual((error as? StoreError)?.sqlState?.rawValue, "42501", "\(sql): \(error)")
            }
        }
        XCTAssertEqual(try DB.int(administrator, "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'sneaky%'"), 0)
        let privileges = try connection.execute(
            """
            SELECT has_table_privilege('change_log', 'SELECT, INSERT'),
                   has_table_privilege('change_log', 'UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES')
            """).rows.first
        XCTAssertEqual(try privileges?.decode(Bool.self, at: 0), true, "may read and append the log")
        XCTAssertEqual(try privileges?.decode(Bool.self, at: 1), false, "may not rewrite the log")
        XCTAssertEqual(
            try DB.text(administrator, "SELECT tgenabled::text FROM pg_trigger WHERE tgname = 'change_log_append_only'"), "O",
            "the append-only trigger is still enabled")
        XCTAssertGreaterThan(try DB.int(administrator, "SELECT count(*) FROM change_log"), 0)
    }

    func testOwnerWithoutCreateRoleGetsAClearMessage() throws {
        let administrator = try TestDatabase.fresh()
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let ownerRole = "tally_plain_owner_\(suffix)"
        let database = try DB.text(administrator, "SELECT current_database()::text")
        _ = try DB.query(administrator, "CREATE ROLE \(ownerRole) LOGIN")
        _ = try DB.query(administrator, "ALTER DATABASE \"\(database)\" OWNER TO \(ownerRole)")
        XCTAssertThrowsError(try TallyDatabase.migrate(try administrator.user(ownerRole), runtimeRole: "tally_missing_\(suffix)")) {
            XCTAssertTrue("\($0)".contains("CREATE ROLE tally_missing_\(suffix) LOGIN"), "\($0)")
        }
        XCTAssertThrowsError(try TallyDatabase.migrate(try administrator.user(ownerRole), runtimeRole: ownerRole)) {
            XCTAssertTrue("\($0)".contains("must differ"), "\($0)")
        }
    }
}
