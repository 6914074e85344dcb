import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyStore
import TallyWire
import TallyServerTestSupport
import XCTest

/// The database turns read-only (as on a full disk or a demoted primary): writes fail with a clear
/// UNAVAILABLE, reads keep working, and writes work again once it is writable.
final class ReadOnlyDatabaseTests: XCTestCase {
    func testReadOnlyDatabaseRefusesWritesClearlyAndKeepsServingReads() async throws {
        let server = try await TallyTestServer.start()
        defer { Task { await server.stop() } }
        let marine = server.client(server.marineToken, timeout: .seconds(5))
        let central = server.client(server.centralToken, timeout: .seconds(5))
        _ = try await marine.reportTarget(Requests.increment(Plan.marineTargets[0]))
        let quoted = "\"" + (try DB.text(server.database, "SELECT current_database()")) + "\""
        try setReadOnly(server.database, quoted, true)
        let frozen = try DB.fingerprint(server.database)

        // The first attempts may meet the connections that were just terminated (UNAVAILABLE, retry);
        // then every write must be refused with the read-only message from tally_apply_batch.
        var refusal: RPCError?
        for attempt in 0..<50 where refusal == nil {
            do {
                _ = try await marine.reportTarget(Requests.increment(Plan.marineTargets[0], id: "ro-\(attempt)"))
                XCTFail("a write was accepted by a read-only database")
                break
            } catch let error as RPCError where error.code == .unavailable {
                if error.message.contains("read-only") { refusal = error } else { try await Task.sleep(for: .milliseconds(100)) }
            }
        }
        let error = try XCTUnwrap(refusal, "writes never failed with the read-only message")
        XCTAssertEqual(error.code, .unavailable)
        XCTAssertTrue(error.message.contains("the database is read-only"), error.message)
        // Every kind of write gets the same answer.
        await assertStatus(.unavailable, "project report") {
            var request = Tally_V1_ReportProjectRequest()
            request.requestID = UUID().uuidString
            request.projectID = Plan.marineProject
            request.percent = "5"
            return try await marine.reportProject(request)
        }
        await assertStatus(.unavailable, "plan change") {
            var department = Tally_V1_Department()
            department.code = "ro-test"
            department.name = "只读测试"
            department.kind = "subdistrict"
            return try await central.upsertDepartment(department)
        }
        // Reads keep working: dashboards (memory), ListMine and History (database).
        let dashboard = try await central.dashboard()
        XCTAssertGreaterThan(dashboard.sequence, 0)
        let mine = try await retryingUnavailable { try await marine.listMine() }
        XCTAssertFalse(mine.targets.isEmpty)
        let history = try await retryingUnavailable { try await central.history(subjectID: Plan.marineTargets[0]) }
        XCTAssertEqual(history.count, 1)
        XCTAssertEqual(try DB.fingerprint(server.database), frozen, "nothing changed while read-only")

        try setReadOnly(server.database, quoted, false)
        let after = try await retryingUnavailable {
            try await marine.reportTarget(Requests.increment(Plan.marineTargets[0], id: "after-ro"))
        }
        XCTAssertGreaterThan(after.sequence, 0)
    }

    /// Sets or resets default_transaction_read_only for the database and ends its sessions, so the
    /// server's connections come back with the new setting.
    private func setReadOnly(_ database: PostgresConfiguration, _ quoted: String, _ on: Bool) throws {
        let connection = try PostgresConnection(configuration: database)
        defer { connection.close() }
        try connection.execute("SET default_transaction_read_only = off")
        try connection.execute("ALTER DATABASE \(quoted) \(on ? "SET default_transaction_read_only = on" : "RESET default_transaction_read_only")")
        try connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
    }
}

/// Retries a call while it fails with UNAVAILABLE (a connection being replaced), up to 10 s.
func retryingUnavailable<T>(_ body: () async throws -> T) async throws -> T {
    let deadline = ContinuousClock.now + .seconds(10)
    while true {
        do {
            return try await body()
        } catch let error as RPCError where error.code == .unavailable && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
