import Foundation
import TallyStore
import TallyTestSupport
import XCTest

@testable import TallyCore

/// The hub takes changes from two sources (this server's writer and the change feed) and still
/// publishes each sequence once, in order.
final class FanoutWatchHubTests: XCTestCase {
    func testALocalChangeAfterAGapWaitsForTheEarlierOneAndDuplicatesAreDropped() async throws {
        let database = try TestDatabase.fresh()
        _ = try TallyDatabase.migrate(database)
        try TallyDatabase.seed(database)
        let connection = try PostgresConnection(configuration: database)
        defer { connection.close() }
        let state = try PlanState.load(connection)
        try connection.execute("""
            INSERT INTO credentials (id, name, token_hash, role, department) VALUES ('c-test', 't', 'h', 'department', 'yinzhu')
            """)
        let batch = (1...3).map { n in
            #"{"op":"report_target","credential":"c-test","role":"department","department":"yinzhu","request_id":"r-\#(n)","target_id":"yinzhu/industry/fixed-asset-investment","increment":"\#(n)"}"#
        }
        try connection.execute("SELECT tally_apply_batch($1::jsonb)", [.text("[" + batch.joined(separator: ",") + "]")])
        let changes = try ChangeLogReader.read(connection, range: 1...3)
        XCTAssertEqual(changes.map(\.sequence), [1, 2, 3])

        let totals = LiveTotals(state: state, builder: DashboardBuilder(), clock: nil)
        let hub = WatchHub(totals: totals)
        let start = hub.subscribe(after: state.sequence)
        try hub.publish([changes[2]])            // the writer's change, ahead of a gap
        XCTAssertEqual(totals.sequence, 0, "a change after a gap waits")
        try hub.publish([changes[0], changes[1]])  // the feed reads the earlier ones from the log
        XCTAssertEqual(totals.sequence, 3)
        try hub.publish([changes[1], changes[2]])  // and the same ones again: dropped
        XCTAssertEqual(totals.sequence, 3)
        start.subscription.finish()
        var delivered: [Int64] = []
        for await delivery in start.subscription.events { delivered.append(delivery.sequence) }
        XCTAssertEqual(delivered, [1, 2, 3])
        XCTAssertEqual(totals.snapshot.targets["yinzhu/industry/fixed-asset-investment"]?.currentFigure, 6)
    }

    func testAReaderWaitingForASequenceIsWokenByTheApply() async throws {
        let database = try TestDatabase.fresh()
        _ = try TallyDatabase.migrate(database)
        try TallyDatabase.seed(database)
        let connection = try PostgresConnection(configuration: database)
        defer { connection.close() }
        let totals = LiveTotals(state: try PlanState.load(connection), builder: DashboardBuilder(), clock: nil)
        try connection.execute("""
            INSERT INTO credentials (id, name, token_hash, role, department) VALUES ('c-test', 't', 'h', 'department', 'yinzhu')
            """)
        try connection.execute("SELECT tally_apply_batch($1::jsonb)", [.text(
            #"[{"op":"report_target","credential":"c-test","role":"department","department":"yinzhu","request_id":"r-1","target_id":"yinzhu/industry/fixed-asset-investment","increment":"1"}]"#)])
        let change = try ChangeLogReader.read(connection, range: 1...1)
        let started = ContinuousClock.now
        let waiting = Task { await totals.waitUntilIncludes(1, timeout: .seconds(30)) }
        while totals.waitingReaders == 0 { await Task.yield() }  // the reader is registered
        _ = totals.apply(change)
        await waiting.value
        XCTAssertEqual(totals.sequence, 1)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(30), "woken by the apply, not by the timeout")
    }
}
