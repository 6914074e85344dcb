import Foundation
import Synchronization
import TallyClient
import TallyCore
import TallyMessages
import TallyServerTestSupport
import XCTest

/// Each early warning appearing and clearing, through the client library against the real database
/// on the server's pinned clock, and its Watch event arriving: a due day passing (with no write),
/// a target red two periods running, a stalled project near its milestone, an overdue 调度 request.
final class ServerWarningsTests: XCTestCase {
    static let fixedAssets = "yinzhu/industry/fixed-asset-investment"   // 50 亿元
    static let marineTarget = "marine-hitech/high-end/new-projects-over-100m"
    static let stalledProject = "p-sdic-belt-road-fund-hq"             // planned; its batch's milestone: under construction

    static func cst(_ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Date {
        CampaignCalendar().date(year: 2023, month: month, day: day, hour: hour, minute: minute, second: second)!
    }

    struct WatchEnded: Error { var what: String }

    /// The next warning event on `events` for `key` that started (or ended), skipping other events.
    static func next(_ events: inout AsyncThrowingStream<Tally_V1_WatchEvent, Error>.AsyncIterator, key: String,
                     started: Bool) async throws -> Tally_V1_WarningEvent {
        while let event = try await events.next() {
            if case .warning(let warning) = event.event, warning.warning.key == key, warning.started == started {
                return warning
            }
        }
        throw WatchEnded(what: "\(key) \(started ? "starting" : "ending")")
    }

    func testNoReportStartsWhenTheDueDayPassesAndEndsWithAReport() async throws {
        let server = try await TallyTestServer.start(clock: Self.cst(10, 20, 12))
        _ = try await server.yinzhu.reportTarget(Requests.increment(Self.fixedAssets, by: "1"))
        let sent = try await server.marine.reportTarget(Requests.increment(Self.marineTarget, by: "1"))
        let central = server.central
        _ = try await server.dashboard(central, atLeast: sent.sequence)
        let before = try await central.warnings()
        XCTAssertFalse(before.warnings.contains { $0.kind == .noReport }, "both reported in October: \(before.warnings)")
        try await within(.seconds(30), "the no-report warnings start and yinzhu's ends") {
            var events = central.watch().makeAsyncIterator()
            guard case .snapshot(let snapshot)? = try await events.next()?.event else { return XCTFail("no snapshot") }
            XCTAssertFalse(snapshot.warnings.contains { $0.kind == .noReport })
            // November's reports were due by 6 December 00:00 CST; nobody wrote anything since October.
            server.server.pinClock(to: Self.cst(12, 6, 0, 0, 1))
            let yinzhu = try await Self.next(&events, key: "no_report:yinzhu:2023-11", started: true)
            XCTAssertEqual(yinzhu.warning.department, "yinzhu")
            XCTAssertEqual(yinzhu.warning.sinceUnixMs, Int64(Self.cst(12, 6).timeIntervalSince1970 * 1000))
            let standing = try await central.warnings()
            XCTAssertEqual(Set(standing.warnings.filter { $0.kind == .noReport }.map(\.key)),
                           ["no_report:yinzhu:2023-11", "no_report:marine-hitech:2023-11"])
            _ = try await server.yinzhu.reportTarget(Requests.increment(Self.fixedAssets, by: "1"))
            _ = try await Self.next(&events, key: "no_report:yinzhu:2023-11", started: false)
        }
        let after = try await central.warnings(department: "yinzhu")
        XCTAssertFalse(after.warnings.contains { $0.kind == .noReport })
        let marine = try await central.warnings(department: "marine-hitech")
        XCTAssertTrue(marine.warnings.contains { $0.key == "no_report:marine-hitech:2023-11" })
        await server.stop()
    }

    func testTheTickerStartsAWarningWhenTimePassesWithoutAnyWrite() async throws {
        let server = try await TallyTestServer.start(clock: Self.cst(12, 5, 23, 59),
                                                   configure: { $0.warningCheckInterval = 0.2 })
        let central = server.central
        try await within(.seconds(30), "the ticker notices November's due day passing") {
            var events = central.watch().makeAsyncIterator()
            guard case .snapshot(let snapshot)? = try await events.next()?.event else { return XCTFail("no snapshot") }
            XCTAssertTrue(snapshot.warnings.contains { $0.key == "no_report:yinzhu:2023-10" })
            // The clock moves and nothing checks at once: only the ticker can tell the watcher.
            server.server.pinClock(to: Self.cst(12, 6, 0, 0, 1), checkingWarnings: false)
            // Ends are told before starts in one check.
            _ = try await Self.next(&events, key: "no_report:yinzhu:2023-10", started: false)
            _ = try await Self.next(&events, key: "no_report:yinzhu:2023-11", started: true)
        }
        await server.stop()
    }

    func testARedTargetTwoPeriodsRunningStartsAndEnds() async throws {
        let server = try await TallyTestServer.start(clock: Self.cst(10, 20, 12))
        let central = server.central
        let key = "red_running:\(Self.fixedAssets):yinzhu"
        let standing = try await central.warnings(department: "yinzhu")
        let red = try XCTUnwrap(standing.warnings.first { $0.key == key }, "0 of 50 in October, and at the end of September")
        XCTAssertEqual(red.kind, .redRunning)
        try await within(.seconds(30), "the red warning ends and starts again") {
            var events = central.watch().makeAsyncIterator()
            _ = try await events.next()
            _ = try await server.yinzhu.reportTarget(Requests.set(Self.fixedAssets, to: "45"))
            _ = try await Self.next(&events, key: key, started: false)
            _ = try await server.yinzhu.reportTarget(Requests.set(Self.fixedAssets, to: "1"))
            _ = try await Self.next(&events, key: key, started: true)
        }
        // Red now (1 of 50) and at the end of September (0, before any report): two periods running.
        let again = try await central.warnings(department: "yinzhu")
        XCTAssertTrue(again.warnings.contains { $0.key == key })
        await server.stop()
    }

    func testAStalledProjectNearItsMilestoneStartsAndEndsWhenItsStageMoves() async throws {
        let server = try await TallyTestServer.start(clock: Self.cst(10, 31, 12))
        let central = server.central
        let key = "stage_stalled:\(Self.stalledProject):marine-hitech"
        let early = try await central.warnings()
        XCTAssertFalse(early.warnings.contains { $0.kind == .stageStalled }, "62 days before the milestone date")
        try await within(.seconds(30), "the stalled warning starts and ends") {
            var events = central.watch().makeAsyncIterator()
            _ = try await events.next()
            // 60 days before 2024-01-01 00:00 CST: 2 November 00:00.
            server.server.pinClock(to: Self.cst(11, 2, 0, 0, 1))
            let started = try await Self.next(&events, key: key, started: true)
            XCTAssertEqual(started.warning.department, "marine-hitech")
            _ = try await server.marine.reportProject(Requests.project(Self.stalledProject, stage: .underConstruction))
            _ = try await Self.next(&events, key: key, started: false)
        }
        await server.stop()
    }

    func testARealDispatchGoesOverdueAtItsDueTimeAndCountsInTheRanking() async throws {
        let server = try await TallyTestServer.start(clock: Self.cst(10, 20, 12))
        let central = server.central
        let created = try await central.createDispatch(title: "报送三季度投资说明", departments: ["yinzhu", "marine-hitech"],
                                                       due: Self.cst(10, 21, 18))
        _ = try await server.marine.answerDispatch(created.id, answer: "已报送")
        let key = "request_overdue:\(created.id):yinzhu"
        try await within(.seconds(30), "the dispatch's overdue warning starts at the due time and ends with the answer") {
            var events = central.watch().makeAsyncIterator()
            guard case .snapshot(let snapshot)? = try await events.next()?.event else { return XCTFail("no snapshot") }
            XCTAssertFalse(snapshot.warnings.contains { $0.kind == .requestOverdue }, "not due yet")
            server.server.pinClock(to: Self.cst(10, 21, 18, 0, 1))
            let started = try await Self.next(&events, key: key, started: true)
            XCTAssertEqual(started.warning.detail.hasPrefix("报送三季度投资说明"), true, started.warning.detail)
            let ranking = try await central.ranking()
            let rows = Dictionary(uniqueKeysWithValues: ranking.rows.map { ($0.department, $0) })
            XCTAssertEqual(rows["yinzhu"].map { [$0.requestsDue, $0.requestsOnTime] }, [1, 0])
            XCTAssertEqual(rows["marine-hitech"].map { [$0.requestsDue, $0.requestsOnTime] }, [1, 1])
            XCTAssertEqual(rows["yinzhu"]?.board, .black)
            _ = try await server.yinzhu.answerDispatch(created.id, answer: "迟到的说明")
            _ = try await Self.next(&events, key: key, started: false)
        }
        await server.stop()
    }

    /// 调度 inputs as a test gives them: the dispatch feature's standing plugs in the same way.
    struct FixedRequests: DispatchInputSource {
        var inputs: DispatchInputs
        func dispatchInputs(at instant: Date) -> DispatchInputs { inputs }
    }

    func testAnOverdueRequestStartsAndEndsAndCountsInTheRanking() async throws {
        let server = try await TallyTestServer.start(clock: Self.cst(10, 20, 12))
        let central = server.central
        let key = "request_overdue:r-7:yinzhu"
        let overdue = DispatchInputs(
            overdue: [.init(request: "r-7", department: "yinzhu", title: "三季度投资说明", dueAt: Self.cst(10, 18))],
            answers: ["yinzhu": .init(overdue: 1), "marine-hitech": .init(onTime: 1)])
        try await within(.seconds(30), "the overdue request's warning starts and ends") {
            var events = central.watch().makeAsyncIterator()
            _ = try await events.next()
            server.server.setDispatchSource(FixedRequests(inputs: overdue))
            let started = try await Self.next(&events, key: key, started: true)
            XCTAssertEqual(started.warning.kind, .requestOverdue)
            let ranking = try await central.ranking()
            let yinzhu = try XCTUnwrap(ranking.rows.first { $0.department == "yinzhu" })
            XCTAssertEqual([yinzhu.requestsDue, yinzhu.requestsOnTime], [1, 0])
            XCTAssertEqual(yinzhu.board, .black)
            server.server.setDispatchSource(nil)
            _ = try await Self.next(&events, key: key, started: false)
        }
        await server.stop()
    }

    func testTheDashboardCarriesWarningsForecastAndRanking() async throws {
        let server = try await TallyTestServer.start(clock: Self.cst(10, 20, 12))
        let dashboard = try await server.central.dashboard()
        XCTAssertTrue(dashboard.warnings.contains { $0.kind == .redRunning })
        XCTAssertEqual(dashboard.ranking.period, "2023-10")
        XCTAssertEqual(Set(dashboard.ranking.rows.map(\.department)), ["marine-hitech", "yinzhu"])
        XCTAssertFalse(dashboard.forecast.targets.isEmpty)
        XCTAssertEqual(dashboard.forecast.departments.map(\.department), ["marine-hitech", "yinzhu"])
        let forecast = try await server.central.forecast()
        XCTAssertEqual(forecast.targets.count, dashboard.forecast.targets.count)
        await assertStatus(.invalidArgument) { _ = try await server.central.ranking(period: "2023-13") }
        await assertStatus(.invalidArgument) { _ = try await server.central.ranking(period: "2023-11") }
        await assertStatus(.notFound) { _ = try await server.central.warnings(department: "nowhere") }
        await server.stop()
    }

    func testThePlanFilesThresholdsApplyRoundTripAndFallBackToTheServersSettings() async throws {
        // The server's own setting is 30 days; the 2023 plan's is 60.
        let server = try await TallyTestServer.start(clock: Self.cst(11, 27),
                                                     configure: { $0.warningRules.milestoneDays = 30 })
        let admin = server.admin
        let before = try await server.central.warnings()
        XCTAssertTrue(before.warnings.contains { $0.kind == .stageStalled }, "35 days before the milestone date, 60 by the plan")
        let exported = try await admin.exportPlan(campaign: "2023").document
        XCTAssertEqual(exported, EmbeddedSchema.plan2023, "the seeded plan, warnings included, exports as its file")
        await assertStatus(.invalidArgument) {
            try await admin.applyPlan(document: exported.replacingOccurrences(of: "\"red_periods\": 2", with: "\"red_periods\": 0"),
                                      fileName: "plan-2023.json", dryRun: true)
        }
        // Without its warnings object the plan leaves the thresholds to the server.
        let block = try XCTUnwrap(exported.firstRange(of: /\ \ "warnings": \{[^}]*\},\n/))
        var edited = exported
        edited.removeSubrange(block)
        let applied = try await admin.applyPlan(document: edited, fileName: "plan-2023.json", dryRun: false)
        XCTAssertTrue(applied.applied)
        _ = try await server.dashboard(server.central, atLeast: applied.lastSequence)
        let after = try await server.central.warnings()
        XCTAssertFalse(after.warnings.contains { $0.kind == .stageStalled }, "30 days by the server's setting")
        let again = try await admin.exportPlan(campaign: "2023").document
        XCTAssertEqual(again, edited, "a plan without warnings exports without them")
        await server.stop()
    }
}
