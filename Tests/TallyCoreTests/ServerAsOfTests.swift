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
        let central = server.central
        let refused = await assertStatus(.notFound, "the 2024 campaign did not exist yet") {
            try await central.dashboard(asOf: before, campaign: "2024")
        }
        XCTAssertTrue(refused?.message.contains("2024") ?? false, refused?.message ?? "")
        let earlier = try await central.dashboard(asOf: before)
        XCTAssertEqual(earlier.campaign, "2023", "then the only campaign")
        await server.stop()
    }

    private func targetFigure(_ dashboard: Tally_V1_Dashboard, _ id: String) -> String? {
        dashboard.departments.flatMap(\.targets).first { $0.target.id == id }?.target.targetFigure
    }

    /// The commit time of a change, and an instant one millisecond before it.
    private func justBefore(_ sequence: Int64, of subject: String, _ server: TallyTestServer) async throws -> Date {
        let history = try await server.central.history(subjectID: subject)
        let at = try XCTUnwrap(history.first { $0.sequence == sequence }).committedUnixMs
        let earlier = try XCTUnwrap(history.first { $0.sequence < sequence }).committedUnixMs
        XCTAssertGreaterThanOrEqual(at, earlier + 2, "changes \(sequence) and the one before need distinct milliseconds")
        return Date(timeIntervalSince1970: Double(at - 1) / 1000)
    }

    func testLaterPlanEditsAreUndoneExactly() async throws {
        let server = try await TallyTestServer.start()
        let admin = server.admin
        let central = server.central
        let target = ServerPlanFileTests.fixedAssets2024
        _ = try await admin.applyPlan(document: PlanFixtures.plan2024, fileName: "plan-2024.json", dryRun: false)
        _ = try await server.yinzhu.listMine()
        let report = try await server.yinzhu.reportTarget(Requests.increment(target, by: "4"))
        _ = try await central.history(subjectID: target)

        // The plan edited after the report: the target's figure and a batch's name, through apply.
        let exported = try await admin.exportPlan(campaign: "2024").document
        let edited = exported.replacingOccurrences(of: "\"target_figure\": \"30\"", with: "\"target_figure\": \"35\"")
            .replacingOccurrences(of: "\"name\": \"新落地项目\"", with: "\"name\": \"新落地项目（调整）\"")
        let edit = try await admin.applyPlan(document: edited, fileName: "plan-2024.json", dryRun: false)
        XCTAssertEqual(edit.changes.count, 2, "\(edit.changes)")
        _ = try await central.history(subjectID: target)
        // Then through Admin/UpsertTarget, then one more report.
        let listed = try await central.listPlan(campaign: "2024")
        var upsert = try XCTUnwrap(listed.targets.first { $0.id == target })
        upsert.targetFigure = "40"
        let upserted = try await admin.upsertTarget(upsert)
        _ = try await central.history(subjectID: target)
        let last = try await server.yinzhu.reportTarget(Requests.increment(target, by: "1"))
        let now = try await server.dashboard(central, atLeast: last.sequence)
        XCTAssertEqual(targetFigure(now, target), "40")
        XCTAssertEqual(figure(now, target), "5")

        let changes = try await central.history(subjectID: target)
        // History is newest first: the apply's edit is the older of the two plan changes after the report.
        let targetEdit = try XCTUnwrap(changes.last { $0.kind == "plan" && $0.sequence > report.sequence })
        let beforeEdit = try await central.dashboard(asOf: try await justBefore(targetEdit.sequence, of: target, server), campaign: "2024")
        XCTAssertEqual(beforeEdit.sequence, targetEdit.sequence - 1)
        XCTAssertEqual(targetFigure(beforeEdit, target), "30", "the figure before the plan edit")
        XCTAssertEqual(figure(beforeEdit, target), "4")
        XCTAssertEqual(beforeEdit.departments.flatMap(\.targets).first { $0.target.id == target }?.target.version, 2)
        XCTAssertEqual(beforeEdit.batches.first { $0.batch.id == "2024/yinzhu/industry/new-projects" }?.batch.name, "新落地项目")

        let upsertChange = try XCTUnwrap(changes.first { $0.kind == "plan" })
        XCTAssertGreaterThan(upsertChange.sequence, targetEdit.sequence)
        let beforeUpsert = try await central.dashboard(asOf: try await justBefore(upsertChange.sequence, of: target, server), campaign: "2024")
        XCTAssertEqual(targetFigure(beforeUpsert, target), "35", "the apply's figure, before the upsert")
        XCTAssertEqual(beforeUpsert.batches.first { $0.batch.id == "2024/yinzhu/industry/new-projects" }?.batch.name, "新落地项目（调整）")
        XCTAssertEqual(upserted.version, beforeUpsert.departments.flatMap(\.targets).first { $0.target.id == target }.map { $0.target.version + 1 })
        let beforeLast = try await central.dashboard(asOf: try await justBefore(last.sequence, of: target, server), campaign: "2024")
        XCTAssertEqual(targetFigure(beforeLast, target), "40")
        XCTAssertEqual(figure(beforeLast, target), "4")
        await server.stop()
    }

    func testAShareReportedLaterIsUndone() async throws {
        let server = try await TallyTestServer.start()
        let shengyuan = Self.shengyuan
        var first = Requests.project(shengyuan)
        first.shareInvestment = "1"
        let one = try await server.yinzhu.reportProject(first)
        _ = try await server.central.history(subjectID: shengyuan)
        var second = Requests.project(shengyuan, percent: "40")
        second.shareInvestment = "2.5"
        let two = try await server.yinzhu.reportProject(second)
        let now = try await server.dashboard(server.central, atLeast: two.sequence)
        XCTAssertEqual(now.departments.first { $0.department.code == "yinzhu" }?.sharedInvestment, "2.5")
        XCTAssertEqual(two.sequence, one.sequence + 2, "percent and share: two rows of one write")
        let then = try await server.central.dashboard(asOf: try await justBefore(one.sequence + 1, of: shengyuan, server))
        XCTAssertEqual(then.sequence, one.sequence)
        XCTAssertEqual(then.departments.first { $0.department.code == "yinzhu" }?.sharedInvestment, "1")
        await server.stop()
    }
}
