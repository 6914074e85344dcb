import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyServerTestSupport
import TallyWire
import XCTest

/// Several campaigns in one database: each dashboard shows its own campaign's targets, batches and
/// projects; the default is the running one, else the latest finished; reports outside a target's
/// campaign are refused naming the period.
final class ServerCampaignsTests: XCTestCase {
    static let fixedAssets2023 = ServerReportingTests.fixedAssets
    static let fixedAssets2024 = ServerPlanFileTests.fixedAssets2024

    private func report(_ target: String, period: String) -> Tally_V1_SubmitPeriodReportRequest {
        var report = Tally_V1_SubmitPeriodReportRequest()
        report.requestID = UUID().uuidString
        report.period = period
        var update = Tally_V1_Update()
        update.target = Requests.increment(target, by: "1")
        report.updates = [update]
        return report
    }

    func testEachCampaignHasItsOwnDashboard() async throws {
        let server = try await TallyTestServer.start()
        let applied = try await server.admin.applyPlan(document: PlanFixtures.plan2024, fileName: "plan-2024.json", dryRun: false)
        let central = server.central
        _ = try await server.dashboard(central, atLeast: applied.lastSequence)

        let of2023 = try await central.dashboard(campaign: "2023")
        XCTAssertEqual(of2023.campaign, "2023")
        XCTAssertEqual(of2023.overall.total, 35)
        XCTAssertEqual(of2023.projectCount, 36)
        let of2024 = try await central.dashboard(campaign: "2024")
        XCTAssertEqual(of2024.campaign, "2024")
        XCTAssertEqual(of2024.overall.total, 4)
        XCTAssertEqual(of2024.projectCount, 3)
        XCTAssertEqual(of2024.plannedInvestment, "120", "the batches' plans: 120 and none")
        XCTAssertEqual(Set(of2024.batches.map(\.batch.id)),
                       ["2024/marine-hitech/hq/hq-under-construction", "2024/yinzhu/industry/new-projects"])

        let latest = try await central.dashboard()
        XCTAssertEqual(latest.campaign, "2024", "today (after 2024) the latest finished campaign")
        XCTAssertTrue(latest.finished)
        let during2023 = try await central.dashboard(asOf: try XCTUnwrap(CampaignCalendar().date(year: 2023, month: 5, day: 1)))
        XCTAssertEqual(during2023.campaign, "2023")
        XCTAssertFalse(during2023.finished)
        await assertStatus(.notFound) { try await central.dashboard(campaign: "2031") }

        // A watcher's change events carry the totals of the campaign it sees by default (2024 here).
        var events = central.watch(afterSequence: applied.lastSequence).makeAsyncIterator()
        let sent = try await server.yinzhu.reportTarget(Requests.increment(Self.fixedAssets2024, by: "3"))
        let event = try await events.next()
        guard case .change(let change)? = event?.event else { return XCTFail("expected a change, got \(String(describing: event))") }
        XCTAssertEqual(change.change.sequence, sent.sequence)
        XCTAssertEqual(change.overall.total, 4)
        XCTAssertEqual(change.target.target.currentFigure, "3")
        // The applied plan's campaign is known to the write path at once: 2024 has ended by now, so
        // the report counts for its last month.
        XCTAssertEqual(change.change.period, "2024-12")
        await server.stop()
    }

    func testAReportOutsideItsTargetsCampaignIsRefusedNamingThePeriod() async throws {
        let server = try await TallyTestServer.start()
        let applied = try await server.admin.applyPlan(document: PlanFixtures.plan2024, fileName: "plan-2024.json", dryRun: false)
        _ = try await server.dashboard(server.central, atLeast: applied.lastSequence)
        let yinzhu = server.yinzhu
        let refused = await assertStatus(.invalidArgument) {
            try await yinzhu.submitPeriodReport(report(Self.fixedAssets2023, period: "2030-01"))
        }
        XCTAssertTrue(refused?.message.contains("2030-01") ?? false, refused?.message ?? "")
        XCTAssertTrue(refused?.message.contains("2023 campaign") ?? false, refused?.message ?? "")
        await assertStatus(.invalidArgument) {
            try await yinzhu.submitPeriodReport(report(Self.fixedAssets2024, period: "2023-12"))
        }
        let accepted = try await yinzhu.submitPeriodReport(report(Self.fixedAssets2024, period: "2024-03"))
        XCTAssertEqual(accepted.targets.first?.currentFigure, "1")
        _ = try await yinzhu.submitPeriodReport(report(Self.fixedAssets2023, period: "2023-12"))
        await server.stop()
    }
}

/// History of an id the plan does not know answers NOT_FOUND, for every role.
final class ServerHistoryNotFoundTests: XCTestCase {
    func testHistoryOfAnUnknownSubjectIsNotFound() async throws {
        let server = try await TallyTestServer.start()
        let central = await assertStatus(.notFound) { try await server.central.history(subjectID: "no-such-target") }
        XCTAssertTrue(central?.message.contains("no-such-target") ?? false, central?.message ?? "")
        await assertStatus(.notFound) { try await server.yinzhu.history(subjectID: "no-such-target") }
        let known = try await server.central.history(subjectID: ServerReportingTests.fixedAssets)
        XCTAssertEqual(known, [])
        await server.stop()
    }
}
