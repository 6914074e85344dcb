import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyStore
import TallyServerTestSupport
import XCTest

/// The change feed on its own terms: what it does with log entries the totals cannot apply.
final class FanoutChangeFeedTests: XCTestCase {
    static let fixedAssets = "yinzhu/industry/fixed-asset-investment"

    /// A log entry the in-memory state cannot apply (here a plan field it does not know, as a newer
    /// server version might write) must not stop the feed: it reloads the plan state from the
    /// tables, announces the entry, and later changes still reach the totals and every watcher.
    func testAChangeTheStateCannotApplyReloadsTheStateAndTheFeedGoesOn() async throws {
        let server = try await TallyTestServer.start()
        let clerk = server.yinzhu, central = server.central
        let first = try await clerk.reportTarget(Requests.increment(Self.fixedAssets, by: "2"))
        let settled = try await server.dashboard(central, atLeast: first.sequence)
        XCTAssertEqual(settled.sequence, first.sequence)

        let outside = try PostgresConnection(configuration: server.database)
        try outside.transaction { connection in
            let head = try connection.execute("SELECT sequence FROM change_log_head FOR UPDATE").rows[0].decode(Int64.self, at: 0)
            try connection.execute("""
                INSERT INTO change_log (sequence, period, kind, subject_id, field, new_value)
                VALUES ($1, '2023-03', 'plan', 'yinzhu', 'widget', 'from a newer version')
                """, [.int64(head + 1)])
            try connection.execute("UPDATE change_log_head SET sequence = $1", [.int64(head + 1)])
            try connection.execute("SELECT pg_notify('tally_changes', $1)", [.text("\(head + 1)")])
        }
        outside.close()
        let second = try await clerk.reportTarget(Requests.increment(Self.fixedAssets, by: "3"))
        XCTAssertEqual(second.sequence, first.sequence + 2)

        let received = try await changeEvents(central.watch(afterSequence: first.sequence), through: second.sequence,
                                            limit: .seconds(20))
        XCTAssertEqual(received.map(\.change.sequence), [first.sequence + 1, second.sequence])
        XCTAssertEqual(received.first?.change.field, "widget")
        XCTAssertEqual(received.last?.target.target.currentFigure, "5")
        let dashboard = try await server.dashboard(central, atLeast: second.sequence)
        XCTAssertEqual(dashboard.sequence, second.sequence)
        await clerk.close()
        await central.close()
        await server.stop()
    }
}
