import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyServerTestSupport
import XCTest

/// Campaigns named, never guessed: Admin upserts of batches and projects, and the plan listings
/// (central ListPlan, a department's ListMine) one campaign at a time.
final class ServerCampaignRecordsTests: XCTestCase {
    private func batch(_ id: String, campaign: String) -> Tally_V1_Batch {
        .with {
            ($0.id, $0.department, $0.line, $0.name) = (id, "yinzhu", "yinzhu/industry", "新签约项目")
            ($0.plannedCount, $0.plannedInvestment, $0.milestone, $0.campaign) = (2, "6", .signed, campaign)
        }
    }

    private func project(_ id: String, batch: String, campaign: String) -> Tally_V1_Project {
        .with {
            ($0.id, $0.name, $0.leadDepartment, $0.line) = (id, "隐珠新项目", "yinzhu", "yinzhu/industry")
            ($0.batch, $0.campaign) = (batch, campaign)
        }
    }

    func testAdminUpsertsNameTheirCampaign() async throws {
        let server = try await TallyTestServer.start()
        let admin = server.admin
        _ = try await admin.applyPlan(document: PlanFixtures.plan2024, fileName: "plan-2024.json", dryRun: false)

        let unnamed = await assertStatus(.invalidArgument, "a new batch without a campaign") {
            try await admin.upsertBatch(self.batch("2024/yinzhu/industry/extra", campaign: ""))
        }
        XCTAssertTrue(unnamed?.message.contains("campaign") ?? false, unnamed?.message ?? "")
        XCTAssertTrue(unnamed?.message.contains("2023, 2024") ?? false, unnamed?.message ?? "")
        await assertStatus(.invalidArgument, "a campaign the database lacks") {
            try await admin.upsertBatch(self.batch("2031/yinzhu/industry/extra", campaign: "2031"))
        }
        let saved = try await admin.upsertBatch(batch("2024/yinzhu/industry/extra", campaign: "2024"))
        XCTAssertEqual(saved.campaign, "2024")
        var renamed = saved
        (renamed.name, renamed.campaign) = ("新签约项目（二批）", "")
        let kept = try await admin.upsertBatch(renamed)
        XCTAssertEqual(kept.campaign, "2024", "an existing batch keeps its campaign")

        let member = try await admin.upsertProject(project("p-2024-extra", batch: saved.id, campaign: ""))
        XCTAssertEqual(member.campaign, "2024", "a project in a batch is in its batch's campaign")
        let contradicting = await assertStatus(.invalidArgument) {
            try await admin.upsertProject(self.project("p-2024-extra-2", batch: saved.id, campaign: "2023"))
        }
        XCTAssertTrue(contradicting?.message.contains("2024") ?? false, contradicting?.message ?? "")
        await assertStatus(.invalidArgument, "a new project outside any batch names its campaign") {
            try await admin.upsertProject(self.project("p-2024-loose", batch: "", campaign: ""))
        }

        let of2023 = try await server.central.dashboard(campaign: "2023")
        XCTAssertFalse(of2023.batches.contains { $0.batch.id == saved.id }, "nothing lands in 2023 by default")
        let of2024 = try await server.dashboard(server.central, atLeast: 0)
        XCTAssertEqual(of2024.campaign, "2024")
        let listed = try await server.central.listPlan(campaign: "2024")
        XCTAssertTrue(listed.batches.contains { $0.id == saved.id && $0.campaign == "2024" })
        XCTAssertTrue(listed.projects.contains { $0.id == member.id })
        await server.stop()
    }

    func testThePlanIsListedOneCampaignAtATime() async throws {
        let server = try await TallyTestServer.start()
        let central = server.central
        let before = try await central.listPlan()
        XCTAssertEqual(before.campaign, "2023", "the only campaign")
        XCTAssertEqual(before.targets.count, 35)

        let applied = try await server.admin.applyPlan(document: PlanFixtures.plan2024, fileName: "plan-2024.json", dryRun: false)
        _ = try await server.dashboard(central, atLeast: applied.lastSequence)
        let latest = try await central.listPlan()
        XCTAssertEqual(latest.campaign, "2024", "today: the latest finished campaign")
        XCTAssertEqual(latest.targets.count, 4)
        XCTAssertEqual(latest.projects.count, 3)
        XCTAssertTrue(latest.projects.allSatisfy { $0.campaign == "2024" })
        let of2023 = try await central.listPlan(campaign: "2023")
        XCTAssertEqual(of2023.targets.count, 35)
        XCTAssertEqual(of2023.projects.count, 36)
        XCTAssertEqual(of2023.batches.count, 20)
        let yinzhu2023 = try await central.listPlan(department: "yinzhu", campaign: "2023")
        XCTAssertTrue(yinzhu2023.targets.allSatisfy { $0.department == "yinzhu" && $0.period.hasPrefix("2023") })
        let missing = await assertStatus(.notFound) { try await central.listPlan(campaign: "2031") }
        XCTAssertTrue(missing?.message.contains("2023, 2024") ?? false, missing?.message ?? "")

        let mine2024 = try await server.yinzhu.listMine()
        XCTAssertEqual(Set(mine2024.targets.map(\.period)), ["2024"])
        let mine2023 = try await server.yinzhu.listMine(campaign: "2023")
        XCTAssertTrue(mine2023.targets.allSatisfy { $0.period.hasPrefix("2023") })
        XCTAssertTrue(mine2023.projects.contains { $0.id == ServerReportingTests.shengyuan }, "the projects it co-reports too")
        await assertStatus(.notFound) { try await server.yinzhu.listMine(campaign: "2031") }
        await server.stop()
    }
}
