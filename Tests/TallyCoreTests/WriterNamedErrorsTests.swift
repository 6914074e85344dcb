import TallyStore
import TallyServerTestSupport
import XCTest

/// One owner per rule, in the migrated schema itself: SQL raises only Tally's named error codes
/// (TLARG, TLNOT ...) that the server's one map turns into statuses; no function carries a numbered
/// code (v2's TL003, TL007 ...) or a status number (tally_status_of).
final class WriterNamedErrorsTests: XCTestCase {
    func testNoFunctionRaisesANumberedCodeOrMapsStatuses() async throws {
        let server = try await TallyTestServer.start()
        let connection = try PostgresConnection(configuration: server.database)
        let numbered = try connection.execute(
            "SELECT proname FROM pg_proc WHERE prosrc ~ 'TL0[0-9][0-9]' ORDER BY proname")
        XCTAssertEqual(try numbered.rows.map { try $0.decode(String.self, at: 0) }, [],
                       "functions that still name an error by number")
        let statusOf = try connection.execute(
            "SELECT count(*) FROM pg_proc WHERE proname IN ('tally_status_of', 'tally_require_department_role')")
        XCTAssertEqual(try statusOf.rows.first?.decode(Int64.self, at: 0), 0)
        connection.close()
        await server.stop()
    }
}
