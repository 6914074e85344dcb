import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyServerTestSupport
import TallyWire
import XCTest

/// `tally plan` over the wire against the real database: a 2024 plan validated, diffed, applied and
/// exported beside the seeded 2023 campaign; versions checked, all or none, every change logged.
final class ServerPlanFileTests: XCTestCase {
    static let fixedAssets2024 = "2024/yinzhu/industry/fixed-asset-investment"

    func testA2024PlanIsDiffedAppliedAndExportedBeside2023() async throws {
        let server = try await TallyTestServer.start()
        let admin = server.admin
        let before2023 = try await admin.exportPlan(campaign: "2023")
        XCTAssertEqual(before2023.document, EmbeddedSchema.plan2023, "the seeded 2023 plan exports as its file")

        let preview = try await admin.applyPlan(document: PlanFixtures.plan2024, fileName: "plan-2024.json", dryRun: true)
        XCTAssertFalse(preview.applied)
        XCTAssertEqual(preview.campaign, "2024")
        XCTAssertEqual(preview.changes.first, "add period 2024")
        XCTAssertEqual(preview.changes[13], "add campaign 2024 创新突破年")
        XCTAssertTrue(preview.changes.contains("add target \(Self.fixedAssets2024) 固定资产投资"), "\(preview.changes)")
        XCTAssertTrue(preview.changes.contains("add project p-2024-marine-biotech-park 海洋生物科技园"))
        XCTAssertEqual(preview.changes.count, 1 + 13 + 4 + 2 + 3, "departments and lines are 2023's already: \(preview.changes)")
        await assertStatus(.notFound) { try await admin.exportPlan(campaign: "2024") }

        let applied = try await admin.applyPlan(document: PlanFixtures.plan2024, fileName: "plan-2024.json", dryRun: false)
        XCTAssertTrue(applied.applied)
        XCTAssertEqual(applied.changes, preview.changes)
        XCTAssertEqual(applied.lastSequence - applied.firstSequence + 1, Int64(applied.changes.count))
        let exported = try await admin.exportPlan(campaign: "2024")
        XCTAssertEqual(exported.document, try PlanFixtures.plan2024, "export round-trips the applied file exactly")
        let after2023 = try await admin.exportPlan(campaign: "2023")
        XCTAssertEqual(after2023.document, EmbeddedSchema.plan2023, "2023 is untouched beside 2024")

        let again = try await admin.applyPlan(document: exported.document, fileName: "export.json", dryRun: false)
        XCTAssertEqual(again.changes, [])
        XCTAssertFalse(again.applied)

        let history = try await server.central.history(subjectID: Self.fixedAssets2024)
        XCTAssertEqual(history.map(\.kind), ["plan"])
        XCTAssertEqual(history.first?.sequence, applied.firstSequence + 1 + 13 + 3)
        await server.stop()
    }

    func testAChangedFigureIsSaidInWordsAndAStaleVersionRefusesTheWholeFile() async throws {
        let server = try await TallyTestServer.start()
        let admin = server.admin
        _ = try await admin.applyPlan(document: PlanFixtures.plan2024, fileName: "plan-2024.json", dryRun: false)
        let raised = try PlanFixtures.plan2024.replacingOccurrences(
            of: "\"target_figure\": \"30\"", with: "\"target_figure\": \"35\"")
        XCTAssertNotEqual(raised, try PlanFixtures.plan2024)
        let preview = try await admin.applyPlan(document: raised, fileName: "plan-2024.json", dryRun: true)
        XCTAssertEqual(preview.changes, ["change target \(Self.fixedAssets2024): target_figure 30 → 35"])

        // The department reports meanwhile: the target's version moves past the file's.
        _ = try await server.yinzhu.reportTarget(Requests.increment(Self.fixedAssets2024, by: "2"))
        let withNewTarget = raised.replacingOccurrences(of: "\"name\": \"隐珠智能工厂\"", with: "\"name\": \"隐珠智能工厂二期\"")
        let refused = await assertStatus(.aborted) {
            try await admin.applyPlan(document: withNewTarget, fileName: "plan-2024.json", dryRun: false)
        }
        XCTAssertTrue(refused?.message.contains(Self.fixedAssets2024) ?? false, refused?.message ?? "")
        let unchanged = try await admin.exportPlan(campaign: "2024")
        XCTAssertTrue(unchanged.document.contains("\"name\": \"隐珠智能工厂\","), "all or none: the project's rename did not land")
        XCTAssertTrue(unchanged.document.contains("\"current_figure\": \"2\""), "the reported figure stays")
        await server.stop()
    }

    func testOnlyAnAdminAppliesOrExportsAndABadFileNamesItsLine() async throws {
        let server = try await TallyTestServer.start()
        await assertStatus(.permissionDenied) {
            try await server.central.applyPlan(document: PlanFixtures.plan2024, fileName: "p.json", dryRun: true)
        }
        await assertStatus(.permissionDenied) { try await server.yinzhu.exportPlan(campaign: "2023") }
        let broken = try PlanFixtures.plan2024.replacingOccurrences(of: "\"period\": \"2024\"", with: "\"period\": \"2031\"")
        let error = await assertStatus(.invalidArgument) {
            try await server.admin.applyPlan(document: broken, fileName: "plan-2024.json", dryRun: true)
        }
        XCTAssertTrue(error?.message.hasPrefix("plan-2024.json:") ?? false, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("targets[0].period") ?? false, error?.message ?? "")
        await server.stop()
    }
}
