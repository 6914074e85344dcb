import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyWire
import TallyServerTestSupport
import XCTest

/// Department reporting through the client library against a real server and PostgreSQL.
final class ServerReportingTests: XCTestCase {
    static let fixedAssets = "yinzhu/industry/fixed-asset-investment"   // 固定资产投资, 亿元
    static let newHQ = "marine-hitech/hq/new-hq-projects"                // 新引进总部项目, 个
    static let shengyuan = "p-shengyuan-liquid-protein"                  // led by marine, co-reported by yinzhu

    func testConcurrentIncrementsFromManyClientsAllCount() async throws {
        let server = try await TallyTestServer.start()
        let clients = (0..<32).map { _ in server.yinzhu }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients {
                for _ in 0..<50 {
                    group.addTask {
                        _ = try await client.reportTarget(Requests.increment(Self.fixedAssets, by: "1"))
                    }
                }
            }
            try await group.waitForAll()
        }
        let mine = try await server.yinzhu.listMine()
        let target = try XCTUnwrap(mine.targets.first { $0.id == Self.fixedAssets })
        XCTAssertEqual(target.currentFigure, "1600")
        XCTAssertEqual(target.version, 1601)
        for client in clients { await client.close() }
        await server.stop()
    }

    func testRepeatedRequestIDChangesNothing() async throws {
        let server = try await TallyTestServer.start()
        let client = server.yinzhu
        let first = try await client.reportTarget(Requests.increment(Self.fixedAssets, by: "2.5", id: "retry-1"))
        XCTAssertFalse(first.replayed)
        XCTAssertEqual(first.target.currentFigure, "2.5")
        let again = try await client.reportTarget(Requests.increment(Self.fixedAssets, by: "2.5", id: "retry-1"))
        XCTAssertTrue(again.replayed)
        XCTAssertEqual(again.sequence, first.sequence)
        XCTAssertEqual(again.target.currentFigure, "2.5")
        let mine = try await client.listMine()
        XCTAssertEqual(mine.targets.first { $0.id == Self.fixedAssets }?.currentFigure, "2.5")
        await server.stop()
    }

    func testTheSameRequestRacingThroughTwoServersCountsOnce() async throws {
        let first = try await TallyTestServer.start()
        let second = try await TallyTestServer.start(database: first.database)
        let a = first.client(first.yinzhuToken), b = second.client(first.yinzhuToken)
        for round in 0..<20 {
            let request = Requests.increment(Self.fixedAssets, by: "1", id: "race-\(round)")
            async let viaFirst = a.reportTarget(request)
            async let viaSecond = b.reportTarget(request)
            let (one, two) = try await (viaFirst, viaSecond)
            XCTAssertEqual(one.sequence, two.sequence, "round \(round)")
            XCTAssertTrue(one.replayed != two.replayed, "exactly one of the two applied (round \(round))")
        }
        let mine = try await a.listMine()
        XCTAssertEqual(mine.targets.first { $0.id == Self.fixedAssets }?.currentFigure, "20")
        await a.close()
        await b.close()
        await second.stop()
        await first.stop()
    }

    func testStaleVersionIsAbortedWithTheCurrentVersion() async throws {
        let server = try await TallyTestServer.start()
        let client = server.yinzhu
        let first = try await client.reportTarget(Requests.set(Self.fixedAssets, to: "10", expectedVersion: 1))
        XCTAssertEqual(first.target.version, 2)
        let error = await assertStatus(.aborted) {
            try await client.reportTarget(Requests.set(Self.fixedAssets, to: "12", expectedVersion: 1))
        }
        XCTAssertEqual(error?.metadata["current_version"], "2")
        XCTAssertTrue(error?.message.contains("stale version") ?? false, "\(String(describing: error))")
        await server.stop()
    }

    func testDepartmentsTouchOnlyTheirOwnAndCredentialsAreRequired() async throws {
        let server = try await TallyTestServer.start()
        let denied = await assertStatus(.permissionDenied) {
            try await server.marine.reportTarget(Requests.increment(Self.fixedAssets, by: "1"))
        }
        XCTAssertTrue(denied?.message.contains("隐珠街道") ?? false, "\(String(describing: denied))")
        await assertStatus(.unauthenticated) {
            try await server.client(nil).reportTarget(Requests.increment(Self.fixedAssets, by: "1"))
        }
        await assertStatus(.unauthenticated) {
            try await server.client("tly_not-a-real-token").listMine()
        }
        await assertStatus(.permissionDenied) {
            try await server.central.reportTarget(Requests.increment(Self.fixedAssets, by: "1"))
        }
        await assertStatus(.permissionDenied) { try await server.yinzhu.dashboard() }
        // A co-reporting department reports progress on the shared project; its stage and investment
        // belong to the lead, and an attempt to overwrite them is refused naming the lead.
        let shared = try await server.yinzhu.reportProject(Requests.project(Self.shengyuan, percent: "30"))
        XCTAssertEqual(shared.project.percent, "30")
        let overwrite = await assertStatus(.permissionDenied) {
            try await server.yinzhu.reportProject(Requests.project(Self.shengyuan, investment: "3"))
        }
        XCTAssertTrue(overwrite?.message.contains("lead department marine-hitech (海洋高新区)") ?? false, overwrite?.message ?? "")
        await assertStatus(.permissionDenied) {
            try await server.yinzhu.reportProject(Requests.project(Self.shengyuan, stage: .completed))
        }
        let mine = try await server.yinzhu.listMine()
        XCTAssertEqual(mine.targets.first { $0.id == Self.fixedAssets }?.currentFigure, "0")
        await server.stop()
    }

    func testBadFiguresAreRefusedWithAMessageNamingTheProblem() async throws {
        let server = try await TallyTestServer.start()
        let marine = server.marine
        let negative = await assertStatus(.invalidArgument) {
            try await marine.reportProject(Requests.project(Self.shengyuan, investment: "-5"))
        }
        XCTAssertTrue(negative?.message.contains("investment_completed") ?? false)
        let nan = await assertStatus(.invalidArgument) {
            try await marine.reportTarget(Requests.increment(Self.newHQ, by: "NaN"))
        }
        XCTAssertTrue(nan?.message.contains("increment") ?? false)
        let unit = await assertStatus(.invalidArgument) {
            try await marine.reportTarget(Requests.set(Self.newHQ, to: "3", unit: "亿元"))
        }
        XCTAssertTrue(unit?.message.contains("unit") ?? false)
        _ = try await marine.reportProject(Requests.project(Self.shengyuan, stage: .completed))
        let back = await assertStatus(.failedPrecondition) {
            try await marine.reportProject(Requests.project(Self.shengyuan, stage: .signed))
        }
        XCTAssertTrue(back?.message.contains("correction") ?? false)
        let noReason = await assertStatus(.invalidArgument) {
            try await marine.reportProject(Requests.project(Self.shengyuan, stage: .signed, correction: true))
        }
        XCTAssertTrue(noReason?.message.contains("reason") ?? false)
        let corrected = try await marine.reportProject(
            Requests.project(Self.shengyuan, stage: .signed, correction: true, reason: "录入错误"))
        XCTAssertEqual(corrected.project.stage, .signed)
        await assertStatus(.invalidArgument) {
            try await marine.reportTarget(Requests.increment(Self.newHQ, by: "1", id: ""))
        }
        await assertStatus(.notFound) {
            try await marine.reportTarget(Requests.increment("no/such/target", by: "1"))
        }
        await assertStatus(.invalidArgument) {
            try await marine.reportTarget(Requests.increment(Self.newHQ, by: "1", note: "bell\u{07}"))
        }
        await server.stop()
    }

    func testPeriodReportIsAllOrNothing() async throws {
        let server = try await TallyTestServer.start()
        let yinzhu = server.yinzhu
        var report = Tally_V1_SubmitPeriodReportRequest()
        report.requestID = UUID().uuidString
        report.period = "2023-03"
        var good = Tally_V1_Update()
        good.target = Requests.increment(Self.fixedAssets, by: "7")
        var bad = Tally_V1_Update()
        bad.target = Requests.set("yinzhu/party/seedling-plan", to: "2")   // a task: only 0 or 1
        report.updates = [good, bad]
        let failed = await assertStatus(.invalidArgument) { try await yinzhu.submitPeriodReport(report) }
        XCTAssertTrue(failed?.message.contains("update 2") ?? false, "\(String(describing: failed))")
        var mine = try await yinzhu.listMine()
        XCTAssertEqual(mine.targets.first { $0.id == Self.fixedAssets }?.currentFigure, "0")

        bad.target = Requests.set("yinzhu/party/seedling-plan", to: "1")
        var project = Tally_V1_Update()
        project.project = Requests.project(Self.shengyuan, percent: "40")
        report.updates = [good, bad, project]
        report.requestID = UUID().uuidString
        let done = try await yinzhu.submitPeriodReport(report)
        XCTAssertEqual(done.targets.count, 2)
        XCTAssertEqual(done.projects.count, 1)
        XCTAssertEqual(done.lastSequence - done.firstSequence, 2)
        mine = try await yinzhu.listMine()
        XCTAssertEqual(mine.targets.first { $0.id == Self.fixedAssets }?.currentFigure, "7")
        await server.stop()
    }

    func testRegisterProjectIntoOwnBatchOnly() async throws {
        let server = try await TallyTestServer.start()
        var request = Tally_V1_RegisterProjectRequest()
        request.requestID = UUID().uuidString
        request.batchID = "marine-hitech/hq/hq-under-construction"
        request.name = "俊源集团总部"
        request.plannedInvestment = "20"
        let registered = try await server.marine.registerProject(request)
        XCTAssertEqual(registered.project.leadDepartment, "marine-hitech")
        XCTAssertEqual(registered.project.plannedInvestment, "20")
        request.requestID = UUID().uuidString
        await assertStatus(.permissionDenied) { try await server.yinzhu.registerProject(request) }
        await server.stop()
    }
}
