import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyStore
import TallyWire
import TallyServerTestSupport
import XCTest

/// History is evidence: Tally only appends to the change log, and the database refuses UPDATE,
/// DELETE and TRUNCATE on it, even for the owner that Tally connects as.
final class ChangeLogEvidenceTests: XCTestCase {
    func testChangeLogOnlyGrowsAndTheDatabaseRefusesToRewriteIt() async throws {
        let server = try await TallyTestServer.start()
        defer { Task { await server.stop() } }
        let marine = server.client(server.marineToken)
        let central = server.client(server.centralToken)
        let admin = server.client(server.adminToken)
        for n in 0..<5 { _ = try await marine.reportTarget(Requests.increment(Plan.marineTargets[n % 3])) }
        let digest = "SELECT count(*)::text || md5(string_agg(to_jsonb(l)::text, '' ORDER BY sequence)) FROM change_log l WHERE sequence <= $1"
        let head = try DB.int(server.database, "SELECT max(sequence) FROM change_log")
        let before = try DB.text(server.database, digest, [.int64(head)])

        // Everything Tally offers that writes: reports, corrections, plan changes, credentials.
        var correction = Tally_V1_ReportProjectRequest()
        correction.requestID = UUID().uuidString
        correction.projectID = Plan.marineProject
        correction.stage = .planned
        correction.correction = true
        correction.correctionReason = "录入错误"
        _ = try await marine.reportProject(correction)
        _ = try await marine.reportTarget(Requests.increment(Plan.marineTargets[0], by: "-1"))
        let target = Requests.target(Plan.marineTargets[0], department: "marine-hitech", line: "hq",
                                     name: "新引进总部项目", figure: "99")
        _ = try await central.upsertTarget(target)
        let created = try await admin.createCredential(name: "temp", role: .central)
        _ = try await admin.revokeCredential(id: created.credential.id)
        XCTAssertEqual(try DB.text(server.database, digest, [.int64(head)]), before, "earlier log entries changed")
        XCTAssertGreaterThan(try DB.int(server.database, "SELECT max(sequence) FROM change_log"), head)

        // The database itself refuses to rewrite history.
        let connection = try PostgresConnection(configuration: server.database)
        defer { connection.close() }
        for sql in ["UPDATE change_log SET new_value = '0' WHERE sequence = 1",
                    "DELETE FROM change_log WHERE sequence = 1",
                    "TRUNCATE change_log"] {
            XCTAssertThrowsError(try connection.execute(sql), sql) { error in
                let store = error as? StoreError
                XCTAssertEqual(store?.sqlState?.rawValue, "42501", "\(sql): \(error)")
                XCTAssertTrue(store?.message.contains("append-only") ?? false, "\(error)")
            }
        }
        XCTAssertEqual(try DB.text(server.database, digest, [.int64(head)]), before)
    }
}
