import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyServerTestSupport
import XCTest

/// A project led by one department and co-reported by another (圣元液体蛋白: marine-hitech leads,
/// yinzhu co-reports with its own share of the investment): each department's figure is kept and
/// shown, the project counts once in every total, and no one writes another's figure.
final class ServerSharedInvestmentTests: XCTestCase {
    static let shengyuan = ServerReportingTests.shengyuan
    static let zhongjiate = "p-zhongjiate-academician-workstation" // led by yinzhu, co-reported by marine, no share

    private func share(_ investment: String, id: String = UUID().uuidString) -> Tally_V1_ReportProjectRequest {
        var request = Requests.project(Self.shengyuan, id: id)
        request.shareInvestment = investment
        return request
    }

    private func summary(_ dashboard: Tally_V1_Dashboard, _ code: String) -> Tally_V1_DepartmentSummary? {
        dashboard.departments.first { $0.department.code == code }
    }

    func testTheCoDepartmentsShareIsKeptBesideTheLeadsFigureAndCountedOnce() async throws {
        let server = try await TallyTestServer.start()
        let lead = try await server.marine.reportProject(Requests.project(Self.shengyuan, investment: "8"))
        XCTAssertEqual(lead.project.investmentCompleted, "8")
        let shared = try await server.yinzhu.reportProject(share("1.5"))
        XCTAssertEqual(shared.project.investmentCompleted, "8", "the lead's figure is not overwritten")
        XCTAssertEqual(shared.project.shares.map(\.department), ["yinzhu"])
        XCTAssertEqual(shared.project.shares.first?.investmentCompleted, "1.5")
        XCTAssertEqual(shared.project.version, lead.project.version + 1)

        let dashboard = try await server.dashboard(server.central, atLeast: shared.sequence)
        XCTAssertEqual(dashboard.investmentCompleted, "8", "the project's total counts once")
        XCTAssertEqual(summary(dashboard, "marine-hitech")?.investmentCompleted, "8")
        XCTAssertEqual(summary(dashboard, "yinzhu")?.sharedInvestment, "1.5", "yinzhu's own share, shown beside")
        XCTAssertEqual(summary(dashboard, "marine-hitech")?.sharedInvestment, "0")
        let batch = dashboard.batches.first { $0.batch.id == "marine-hitech/innovation/start-construction" }
        XCTAssertEqual(batch?.investmentCompleted, "8", "the batch counts the project once")

        // Both figures in the central office's listing and in the change log.
        let listed = try await server.central.listPlan(department: "yinzhu")
        let project = try XCTUnwrap(listed.projects.first { $0.id == Self.shengyuan })
        XCTAssertEqual(project.leadDepartment, "marine-hitech")
        XCTAssertEqual(project.investmentCompleted, "8")
        XCTAssertEqual(project.shares.first?.investmentCompleted, "1.5")
        let history = try await server.central.history(subjectID: Self.shengyuan, limit: 1)
        XCTAssertEqual(history.first?.field, "share_investment")
        XCTAssertEqual(history.first?.department, "yinzhu")
        XCTAssertEqual(history.first?.oldValue, "0")
        XCTAssertEqual(history.first?.newValue, "1.5")

        // The same share again changes nothing.
        let again = try await server.yinzhu.reportProject(share("1.5"))
        XCTAssertTrue(again.unchanged)
        await server.stop()
    }

    func testNoDepartmentWritesAnothersFigure() async throws {
        let server = try await TallyTestServer.start()
        let yinzhu = server.yinzhu
        let marine = server.marine
        let overwrite = await assertStatus(.permissionDenied, "a co-department sets the lead's figure") {
            try await yinzhu.reportProject(Requests.project(Self.shengyuan, investment: "3"))
        }
        XCTAssertTrue(overwrite?.message.contains("marine-hitech") ?? false, overwrite?.message ?? "")
        let leadShare = await assertStatus(.permissionDenied, "the lead has no share: its figure is the project's") {
            try await marine.reportProject(self.share("2"))
        }
        XCTAssertTrue(leadShare?.message.contains("marine-hitech") ?? false, leadShare?.message ?? "")
        var noShare = Requests.project(Self.zhongjiate)
        noShare.shareInvestment = "1"
        let refused = await assertStatus(.permissionDenied, "a co-department the plan gives no share") {
            try await marine.reportProject(noShare)
        }
        XCTAssertTrue(refused?.message.contains("yinzhu") ?? false, "names the lead: \(refused?.message ?? "")")
        await assertStatus(.invalidArgument) { try await yinzhu.reportProject(self.share("-1")) }
        let project = try await server.central.listPlan().projects.first { $0.id == Self.shengyuan }
        XCTAssertEqual(project?.investmentCompleted, "0")
        XCTAssertEqual(project?.shares.first?.investmentCompleted, "0")
        await server.stop()
    }

    func testAnAdminUpsertKeepsTheReportedShareAndRefusesAShareOutsideTheCoDepartments() async throws {
        let server = try await TallyTestServer.start()
        _ = try await server.yinzhu.reportProject(share("2.25"))
        let listed = try await server.central.listPlan()
        var project = try XCTUnwrap(listed.projects.first { $0.id == Self.shengyuan })
        project.name = "圣元液体蛋白（一期）"
        let saved = try await server.admin.upsertProject(project)
        XCTAssertEqual(saved.shares.first?.investmentCompleted, "2.25", "a kept share keeps its figure")
        XCTAssertEqual(saved.campaign, "2023", "an existing project keeps its campaign")

        var wrong = saved
        wrong.shares = [.with { $0.department = "marine-hitech" }]
        let admin = server.admin
        let refused = await assertStatus(.invalidArgument) { try await admin.upsertProject(wrong) }
        XCTAssertTrue(refused?.message.contains("shares") ?? false, refused?.message ?? "")

        var dropped = saved
        dropped.shares = []
        let without = try await server.admin.upsertProject(dropped)
        XCTAssertEqual(without.shares, [])
        let blocked = await assertStatus(.permissionDenied) { try await server.yinzhu.reportProject(self.share("3")) }
        XCTAssertNotNil(blocked)
        await server.stop()
    }
}
