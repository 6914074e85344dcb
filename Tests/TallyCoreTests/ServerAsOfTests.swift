import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyServerTestSupport
import XCTest

/// GetDashboard{as_of}: the figures as they stood at that instant, replayed from the change log,
/// with that instant's elapsed fraction.
final class ServerAsOfTests: XCTestCase {
    static let fixedAssets = ServerReportingTests.fixedAssets
    static let shengyuan = ServerReportingTests.shengyuan

    private func figure(_ dashboard: Tally_V1_Dashboard, _ id: String) -> String? {
        dashboard.departments.flatMap(\.targets).first { $0.target.id == id }?.target.currentFigure
    }

    func testAPastDateShowsTheFiguresThenReplayedFromTheLog() async throws {
        let server = try await TallyTestServer.start()
        let central = server.central
        let first = try await server.yinzhu.reportTarget(Requests.set(Self.fixedAssets, to: "5"))
        let firstHistory = try await central.history(subjectID: Self.fixedAssets)
        let firstChange = try XCTUnwrap(firstHistory.first)
        XCTAssertEqual(firstChange.sequence, first.sequence)
        // Something in between, so that the next report commits in a later millisecond.
        _ = try await server.yinzhu.listMine()
        let second = try await server.yinzhu.reportTarget(Requests.set(Self.fixedAssets, to: "9"))
        let project = try await server.marine.reportProject(Requests.project(Self.shengyuan, investment: "3"))
        let latest = try await server.dashboard(central, atLeast: project.sequence)
        XCTAssertEqual(figure(latest, Self.fixedAssets), "9")
        XCTAssertEqual(latest.investmentCompleted, "3")

        let history = try await central.history(subjectID: Self.fixedAssets)
        let secondAt = try XCTUnwrap(history.first { $0.sequence == second.sequence }).committedUnixMs
        XCTAssertGreaterThanOrEqual(secondAt, firstChange.committedUnixMs + 2, "the two reports need distinct milliseconds")
        let between = Date(timeIntervalSince1970: Double(secondAt - 1) / 1000)
        let then = try await central.dashboard(asOf: between)
        XCTAssertEqual(then.sequence, first.sequence, "the last change committed by then")
        XCTAssertEqual(figure(then, Self.fixedAssets), "5")
        XCTAssertEqual(then.departments.flatMap(\.targets).first { $0.target.id == Self.fixedAssets }?.target.version, 2)
        XCTAssertEqual(then.investmentCompleted, "0", "the project's report came later")
        let yinzhu = then.departments.first { $0.department.code == "yinzhu" }
        XCTAssertEqual(yinzhu?.lastReportUnixMs, firstChange.committedUnixMs, "its last report by then was the first")

        let june = try XCTUnwrap(CampaignCalendar().date(year: 2023, month: 6, day: 30, hour: 23, minute: 59, second: 59))
        let midyear = try await central.dashboard(asOf: june)
        XCTAssertEqual(midyear.sequence, 0)
        XCTAssertEqual(figure(midyear, Self.fixedAssets), "0")
        XCTAssertEqual(midyear.elapsedPercent, "49.6", "181 of 365 days")
        XCTAssertFalse(midyear.finished)
        XCTAssertEqual(Set(midyear.notReported), ["marine-hitech", "yinzhu"])
        await server.stop()
    }

    func testAReportAfterAPlanApplyIsUndoneButThePlanStays() async throws {
        let server = try await TallyTestServer.start()
        let applied = try await server.admin.applyPlan(document: PlanFixtures.plan2024, fileName: "plan-2024.json", dryRun: false)
        let target = ServerPlanFileTests.fixedAssets2024
        let history = try await server.central.history(subjectID: target)
        let planned = try XCTUnwrap(history.first).committedUnixMs
        _ = try await server.yinzhu.listMine()
        let report = try await server.yinzhu.reportTarget(Requests.increment(target, by: "4"))
        let reported = try await server.central.history(subjectID: target)
        let reportedAt = try XCTUnwrap(reported.first { $0.sequence == report.sequence }).committedUnixMs
        XCTAssertGreaterThanOrEqual(reportedAt, planned + 2)
        let between = Date(timeIntervalSince1970: Double(reportedAt - 1) / 1000)
        let then = try await server.central.dashboard(asOf: between, campaign: "2024")
        XCTAssertEqual(then.sequence, applied.lastSequence)
        XCTAssertEqual(figure(then, target), "0")
        let before = Date(timeIntervalSince1970: Double(planned - 5_000) / 1000)
        let earlier = try await server.central.dashboard(asOf: before, campaign: "2024")
        XCTAssertEqual(earlier.overall.total, 0, "the 2024 targets did not exist yet")
        await server.stop()
    }
}
