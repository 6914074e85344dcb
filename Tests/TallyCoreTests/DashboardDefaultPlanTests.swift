import Foundation
import TallyMessages
import XCTest
@testable import TallyCore

/// The dashboard of the default plan, and how reports move it.
final class DashboardDefaultPlanTests: XCTestCase {
    let builder = DashboardBuilder()
    let calendar = CampaignCalendar()

    private func date(_ month: Int, _ day: Int, _ hour: Int = 12) throws -> Date {
        try XCTUnwrap(calendar.date(year: 2023, month: month, day: day, hour: hour))
    }

    private func report(_ state: inout PlanState, project id: String, completed: String, stage: Stage,
                        department: String, at date: Date) throws -> ChangeRecord {
        var project = try XCTUnwrap(state.projects[id])
        project.investmentCompleted = try XCTUnwrap(Decimal(exact: completed))
        project.stage = stage
        project.version += 1
        let change = ChangeRecord(sequence: state.sequence + 1, committedAt: date, period: calendar.monthPeriod(of: date),
                                  department: department, credential: "c", kind: .project, subjectId: id,
                                  field: "investment_completed", newValue: completed, entity: try EntityJSON.encode(project))
        try state.apply(change)
        return change
    }

    func testDefaultPlanTotals() throws {
        let state = PlanState(plan: .default2023)
        let dashboard = builder.dashboard(state, at: try date(7, 2))
        XCTAssertEqual(dashboard.sequence, 0)
        XCTAssertEqual(dashboard.period, "2023-07")
        XCTAssertEqual(dashboard.elapsedPercent, "50")
        XCTAssertEqual(dashboard.tolerancePercent, "10")
        XCTAssertEqual(dashboard.departments.map(\.department.code), ["marine-hitech", "yinzhu"])
        XCTAssertEqual(dashboard.projectCount, 36)
        XCTAssertEqual(dashboard.plannedInvestment, "828")
        XCTAssertEqual(dashboard.investmentCompleted, "0")
        XCTAssertEqual(dashboard.notReported, ["marine-hitech", "yinzhu"])
        XCTAssertEqual(dashboard.overall.total, 35)
        XCTAssertEqual(dashboard.overall.behind, 35)
        XCTAssertEqual(dashboard.overall.standing, .behind)
        XCTAssertEqual(dashboard.batches.count, 20)
        XCTAssertEqual(dashboard.stages.map(\.stage), Stage.allCases.map(\.proto))
        XCTAssertEqual(dashboard.stages.reduce(0) { $0 + $1.projects }, 36)
        let marine = try XCTUnwrap(dashboard.departments.first)
        XCTAssertEqual(marine.lines.map(\.line.name), ["总部引领", "创新引领", "高端引领", "文化引领", "民生引领"])
        XCTAssertEqual(marine.targets.count, 10)
        XCTAssertEqual(marine.progress.total, 10)
        let infrastructure = try XCTUnwrap(dashboard.batches.first { $0.batch.id == "marine-hitech/hq/key-infrastructure" })
        XCTAssertEqual(infrastructure.batch.plannedCount, 7)
        XCTAssertEqual(infrastructure.batch.plannedInvestment, "64")
        XCTAssertEqual(infrastructure.batch.investmentQualifier, "近")
        XCTAssertEqual(infrastructure.members, 2)
        XCTAssertEqual(infrastructure.atMilestone, 2)
    }

    func testSharedProjectCountsOnce() throws {
        var state = PlanState(plan: .default2023)
        // Both departments report the shared project; each report replaces the one project.
        _ = try report(&state, project: "p-shengyuan-liquid-protein", completed: "5", stage: .underConstruction,
                       department: "marine-hitech", at: try date(3, 10))
        _ = try report(&state, project: "p-shengyuan-liquid-protein", completed: "7.5", stage: .underConstruction,
                       department: "yinzhu", at: try date(3, 20))
        _ = try report(&state, project: "p-seaweed-medicinal-capsule", completed: "2.25", stage: .inProduction,
                       department: "marine-hitech", at: try date(3, 21))
        let dashboard = builder.dashboard(state, at: try date(3, 31))
        XCTAssertEqual(dashboard.projectCount, 36)
        XCTAssertEqual(dashboard.investmentCompleted, "9.75")
        XCTAssertEqual(dashboard.plannedInvestment, "828")
        XCTAssertEqual(dashboard.notReported, [])
        let marine = try XCTUnwrap(dashboard.departments.first { $0.department.code == "marine-hitech" })
        let yinzhu = try XCTUnwrap(dashboard.departments.first { $0.department.code == "yinzhu" })
        XCTAssertEqual(marine.investmentCompleted, "9.75")    // it leads both projects
        XCTAssertEqual(yinzhu.investmentCompleted, "0")       // co-reporting only
        XCTAssertTrue(yinzhu.reportedThisPeriod)
        XCTAssertEqual(yinzhu.lastReportUnixMs, Int64(try date(3, 20).timeIntervalSince1970 * 1000))
        let underConstruction = try XCTUnwrap(dashboard.stages.first { $0.stage == .underConstruction })
        XCTAssertEqual(underConstruction.investmentCompleted, "7.5")
        let biomedicine = try XCTUnwrap(dashboard.batches.first { $0.batch.id == "marine-hitech/high-end/marine-biomedicine" })
        XCTAssertEqual(biomedicine.atMilestone, 1)
        XCTAssertEqual(biomedicine.investmentCompleted, "2.25")
        // Next month nobody has reported yet.
        XCTAssertEqual(builder.dashboard(state, at: try date(4, 1, 0)).notReported, ["marine-hitech", "yinzhu"])
    }

    func testProgressFollowsTargetReports() throws {
        var state = PlanState(plan: .default2023)
        var target = try XCTUnwrap(state.targets["yinzhu/industry/fixed-asset-investment"])
        target.currentFigure = 30
        try state.apply(ChangeRecord(sequence: 1, committedAt: try date(6, 30), period: "2023-06", department: "yinzhu",
                                     credential: "c", kind: .target, subjectId: target.id, field: "current_figure",
                                     entity: try EntityJSON.encode(target)))
        let instant = try date(7, 2)
        let dashboard = builder.dashboard(state, at: instant)
        let yinzhu = try XCTUnwrap(dashboard.departments.first { $0.department.code == "yinzhu" })
        let status = try XCTUnwrap(yinzhu.targets.first { $0.target.id == target.id })
        XCTAssertEqual(status.completionPercent, "60")
        XCTAssertEqual(status.standing, .onTrack)
        XCTAssertEqual(yinzhu.progress.onTrack, 1)
        XCTAssertEqual(yinzhu.progress.total, 25)
        // Mean completion: 60 over 25 targets.
        XCTAssertEqual(yinzhu.progress.completionPercent, "2.4")
        let industry = try XCTUnwrap(yinzhu.lines.first { $0.line.code == "yinzhu/industry" })
        XCTAssertEqual(industry.progress.total, 9)
        XCTAssertEqual(industry.progress.completionPercent, "6.7")
        XCTAssertEqual(dashboard.notReported, ["marine-hitech", "yinzhu"])   // its report was in June
        XCTAssertEqual(builder.dashboard(state, at: try date(6, 30, 23)).notReported, ["marine-hitech"])
    }

    func testChangeEventCarriesTheMovedTotals() throws {
        var state = PlanState(plan: .default2023)
        let change = try report(&state, project: "p-shengyuan-liquid-protein", completed: "3", stage: .underConstruction,
                                department: "yinzhu", at: try date(5, 5))
        let event = builder.changeEvent(for: change, in: state, at: try date(5, 5))
        XCTAssertEqual(event.change.sequence, 1)
        XCTAssertEqual(event.change.kind, "project")
        XCTAssertEqual(event.change.department, "yinzhu")
        XCTAssertEqual(event.department.department.code, "yinzhu")
        XCTAssertTrue(event.department.reportedThisPeriod)
        XCTAssertEqual(event.investmentCompleted, "3")
        XCTAssertEqual(event.project.id, "p-shengyuan-liquid-protein")
        XCTAssertEqual(event.project.coDepartments, ["yinzhu"])
        XCTAssertFalse(event.hasTarget)
        XCTAssertEqual(event.overall.total, 35)

        var task = try XCTUnwrap(state.targets["yinzhu/party/seedling-plan"])
        task.currentFigure = 1
        let taskChange = ChangeRecord(sequence: 2, committedAt: try date(5, 6), period: "2023-05", department: nil,
                                      credential: "admin", kind: .plan, subjectId: task.id, field: "target",
                                      entity: try EntityJSON.encode(task))
        try state.apply(taskChange)
        let taskEvent = builder.changeEvent(for: taskChange, in: state, at: try date(5, 6))
        XCTAssertEqual(taskEvent.target.standing, .met)
        XCTAssertEqual(taskEvent.target.completionPercent, "100")
        XCTAssertEqual(taskEvent.department.department.code, "yinzhu")
        XCTAssertEqual(taskEvent.overall.met, 1)
    }
}
