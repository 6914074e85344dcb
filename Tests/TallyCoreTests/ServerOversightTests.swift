import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyStore
import TallyWire
import TallyServerTestSupport
import XCTest

/// The central office's view: dashboard, watch streams, history, several servers on one database.
final class ServerOversightTests: XCTestCase {
    static let fixedAssets = ServerReportingTests.fixedAssets
    static let newHQ = ServerReportingTests.newHQ
    static let shengyuan = ServerReportingTests.shengyuan

    /// Reads events from a watch stream until `count` changes have arrived (or the time runs out).
    private static func collectChanges(_ stream: AsyncThrowingStream<Tally_V1_WatchEvent, Error>, count: Int)
        async throws -> (snapshot: Tally_V1_Dashboard?, changes: [Tally_V1_ChangeEvent])
    {
        var events = stream.makeAsyncIterator()
        return try await collectChanges(&events, count: count)
    }

    private static func collectChanges(_ events: inout AsyncThrowingStream<Tally_V1_WatchEvent, Error>.Iterator,
                                       count: Int) async throws
        -> (snapshot: Tally_V1_Dashboard?, changes: [Tally_V1_ChangeEvent])
    {
        var snapshot: Tally_V1_Dashboard?
        var changes: [Tally_V1_ChangeEvent] = []
        while changes.count < count, let event = try await events.next() {
            switch event.event {
            case .snapshot(let dashboard): snapshot = dashboard
            case .change(let change): changes.append(change)
            case .warning, nil: break
            }
        }
        return (snapshot, changes)
    }

    /// Opens a watch from the start and returns once its snapshot has arrived: everything reported
    /// after that reaches the watcher as a change (the stream buffers it until it is read).
    private static func watchFromSnapshot(_ client: TallyClient) async throws
        -> AsyncThrowingStream<Tally_V1_WatchEvent, Error>.Iterator
    {
        var events = client.watch(afterSequence: 0).makeAsyncIterator()
        let first = try await events.next()
        guard case .snapshot = first?.event else {
            throw RPCError(.internalError, "a watch from sequence 0 began with \(String(describing: first)) instead of a snapshot")
        }
        return events
    }

    func testWatcherSeesEveryDepartmentsChangesInOrder() async throws {
        let server = try await TallyTestServer.start()
        let central = server.central
        // The watcher has its snapshot before anything is reported (its start is then sequence 0).
        var events = try await Self.watchFromSnapshot(central)
        for step in 1...3 {
            _ = try await server.yinzhu.reportTarget(Requests.increment(Self.fixedAssets, by: "\(step)"))
            _ = try await server.marine.reportTarget(Requests.increment(Self.newHQ, by: "1"))
        }
        let changes = try await Self.collectChanges(&events, count: 6).changes
        XCTAssertEqual(changes.map(\.change.sequence), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(changes.map(\.change.department),
                       ["yinzhu", "marine-hitech", "yinzhu", "marine-hitech", "yinzhu", "marine-hitech"])
        XCTAssertEqual(changes.last?.target.target.currentFigure, "3")
        XCTAssertEqual(changes[4].target.target.currentFigure, "6")   // 1 + 2 + 3
        XCTAssertEqual(changes.last?.department.department.code, "marine-hitech")
        await central.close()
        await server.stop()
    }

    func testChangeThroughOneServerReachesAWatcherOnAnother() async throws {
        let first = try await TallyTestServer.start()
        let second = try await TallyTestServer.start(database: first.database)
        let watcher = second.client(first.centralToken)
        var events = try await Self.watchFromSnapshot(watcher)
        let sent = try await first.yinzhu.reportTarget(Requests.increment(Self.fixedAssets, by: "4.5"))
        let changes = try await Self.collectChanges(&events, count: 1).changes
        XCTAssertEqual(changes.first?.change.sequence, sent.sequence)
        XCTAssertEqual(changes.first?.change.newValue, "4.5")
        // And the second server's totals moved too.
        let dashboard = try await second.dashboard(watcher, atLeast: sent.sequence)
        XCTAssertEqual(dashboard.sequence, sent.sequence)
        await watcher.close()
        await second.stop()
        await first.stop()
    }

    func testReconnectingWatcherGetsExactlyWhatItMissed() async throws {
        let server = try await TallyTestServer.start()
        for _ in 0..<5 { _ = try await server.yinzhu.reportTarget(Requests.increment(Self.fixedAssets, by: "1")) }
        // The watcher saw up to 2, then lost its connection; 3...8 must come, once each, in order.
        for _ in 0..<3 { _ = try await server.marine.reportTarget(Requests.increment(Self.newHQ, by: "1")) }
        let (snapshot, changes) = try await Self.collectChanges(server.central.watch(afterSequence: 2), count: 6)
        XCTAssertNil(snapshot)
        XCTAssertEqual(changes.map(\.change.sequence), [3, 4, 5, 6, 7, 8])
        await server.stop()
    }

    func testSequencesFollowCommitOrderWhenTransactionsOverlap() async throws {
        let server = try await TallyTestServer.start()
        let central = server.central
        var events = try await Self.watchFromSnapshot(central)
        // A transaction from elsewhere takes a sequence and holds it uncommitted ...
        let outside = try PostgresConnection(configuration: server.database)
        try outside.execute("BEGIN")
        try outside.execute("""
            INSERT INTO credentials (id, name, token_hash, role, department)
            VALUES ('c-outside', 'outside', 'x', 'department', 'yinzhu')
            """)
        let command = #"[{"op":"report_target","credential":"c-outside","role":"department","department":"yinzhu","request_id":"o-1","target_id":"yinzhu/industry/fixed-asset-investment","increment":"100"}]"#
        try outside.execute("SELECT tally_apply_batch($1::jsonb)", [.text(command)])
        // ... while a report through the server starts later and must wait for it.
        let yinzhu = server.yinzhu
        let request = Requests.increment(Self.fixedAssets, by: "1")
        let later = Task { try await yinzhu.reportTarget(request) }
        try await Self.waitUntilABackendWaitsForALock(outside)
        try outside.execute("COMMIT")
        outside.close()
        let response = try await later.value
        let changes = try await Self.collectChanges(&events, count: 2).changes
        XCTAssertEqual(changes.map(\.change.sequence), [1, 2])
        XCTAssertEqual(changes.map(\.change.requestID).first, "o-1")
        XCTAssertEqual(response.sequence, 2)
        XCTAssertEqual(response.target.currentFigure, "101")
        await server.stop()
    }

    /// Waits (bounded; PostgreSQL has no event for it) until some backend of this database waits for a
    /// lock: the server's write is then queued behind the open transaction.
    private static func waitUntilABackendWaitsForALock(_ holder: PostgresConnection) async throws {
        let observer = try PostgresConnection(configuration: holder.configuration)
        defer { observer.close() }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let waiting = try observer.execute(
                "SELECT count(*)::int FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
            if try waiting.rows[0].decode(Int.self, at: 0) > 0 { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        XCTFail("no backend waited for the open transaction's lock within 10 s")
    }

    func testDashboardOfTheSeededPlanShowsTheDocumentsFigures() async throws {
        let server = try await TallyTestServer.start()
        let central = server.central
        var asOf = DateComponents()
        asOf.year = 2023; asOf.month = 7; asOf.day = 1
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt
        let dashboard = try await central.dashboard(asOf: calendar.date(from: asOf))
        let batches = Dictionary(uniqueKeysWithValues: dashboard.batches.map { ($0.batch.id, $0) })
        XCTAssertEqual(batches["marine-hitech/hq/hq-under-construction"]?.batch.plannedCount, 6)
        XCTAssertEqual(batches["marine-hitech/hq/hq-under-construction"]?.batch.plannedInvestment, "190")
        XCTAssertEqual(batches["marine-hitech/hq/hq-land-and-start"]?.batch.plannedInvestment, "130")
        XCTAssertEqual(batches["marine-hitech/hq/key-infrastructure"]?.batch.investmentQualifier, "近")
        XCTAssertEqual(batches["marine-hitech/innovation/start-construction"]?.batch.plannedInvestment, "55")
        XCTAssertEqual(dashboard.departments.count, 2)   // the central office reports nothing
        // 圣元液体蛋白 is reported by two departments and counted once.
        let state = try await server.yinzhu.listMine()
        XCTAssertTrue(state.projects.contains { $0.id == Self.shengyuan })
        let before = dashboard.projectCount
        _ = try await server.yinzhu.reportProject(Requests.project(Self.shengyuan, percent: "20"))
        let last = try await server.marine.reportProject(Requests.project(Self.shengyuan, investment: "3"))
        let after = try await server.dashboard(central, atLeast: last.sequence)
        XCTAssertEqual(after.sequence, last.sequence)
        XCTAssertEqual(after.projectCount, before)
        XCTAssertEqual(after.investmentCompleted, "3")
        XCTAssertEqual(Set(dashboard.notReported), ["marine-hitech", "yinzhu"])
        await server.stop()
    }

    func testWhoHasNotReportedFollowsTheCampaignClock() async throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt
        let june = calendar.date(from: DateComponents(year: 2023, month: 6, day: 15))
        let server = try await TallyTestServer.start(clock: june)
        let before = try await server.central.dashboard()
        XCTAssertEqual(before.period, "2023-06")
        XCTAssertEqual(Set(before.notReported), ["marine-hitech", "yinzhu"])
        let sent = try await server.yinzhu.reportTarget(Requests.increment(Self.fixedAssets, by: "1"))
        let after = try await server.dashboard(server.central, atLeast: sent.sequence)
        XCTAssertEqual(after.notReported, ["marine-hitech"])
        let history = try await server.central.history(subjectID: Self.fixedAssets)
        XCTAssertEqual(history.first?.period, "2023-06")
        await server.stop()
    }

    func testHistoryShowsAFiguresOverTime() async throws {
        let server = try await TallyTestServer.start()
        for value in ["1", "2", "5"] {
            _ = try await server.yinzhu.reportTarget(Requests.set(Self.fixedAssets, to: value))
        }
        let history = try await server.central.history(subjectID: Self.fixedAssets)
        XCTAssertEqual(history.map(\.newValue), ["5", "2", "1"])
        XCTAssertEqual(history.map(\.oldValue), ["2", "1", "0"])
        await assertStatus(.permissionDenied) { try await server.marine.history(subjectID: Self.fixedAssets) }
        await server.stop()
    }

    func testRevokedTokenStopsWorkingAtOnce() async throws {
        let server = try await TallyTestServer.start()
        let admin = server.admin
        let created = try await admin.createCredential(name: "temp", role: .department, department: "yinzhu")
        let temp = server.client(created.token)
        _ = try await temp.listMine()
        _ = try await admin.revokeCredential(id: created.credential.id)
        await assertStatus(.unauthenticated) { try await temp.listMine() }
        await assertStatus(.permissionDenied) {
            try await server.central.createCredential(name: "x", role: .admin, department: nil)
        }
        await server.stop()
    }
}
