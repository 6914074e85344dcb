import Foundation
import XCTest
@testable import TallyCore

/// The default plan holds every fact of plan-2023.md.
final class PlanDocumentTests: XCTestCase {
    let plan = PlanDocument.default2023

    private func batch(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> BatchRecord {
        try XCTUnwrap(plan.batches.first { $0.id == id }, "no batch \(id)", file: file, line: line)
    }

    private func target(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> TargetRecord {
        try XCTUnwrap(plan.targets.first { $0.id == id }, "no target \(id)", file: file, line: line)
    }

    func testCounts() {
        XCTAssertEqual(plan.departments.count, 3)
        XCTAssertEqual(plan.lines.count, 11)
        XCTAssertEqual(plan.lines.filter { $0.department == "marine-hitech" }.count, 5)
        XCTAssertEqual(plan.lines.filter { $0.department == "yinzhu" }.count, 6)
        XCTAssertEqual(plan.periods.count, 13)
        XCTAssertEqual(plan.targets.count, 35)
        XCTAssertEqual(plan.targets.filter(\.isTask).count, 15)
        XCTAssertEqual(plan.batches.count, 20)
        XCTAssertEqual(plan.batches.filter { $0.department == "marine-hitech" }.count, 18)
        XCTAssertEqual(plan.projects.count, 36)
        XCTAssertEqual(plan.year, "2023")
        XCTAssertNoThrow(try plan.validate())
    }

    func testDepartments() {
        let byCode = Dictionary(uniqueKeysWithValues: plan.departments.map { ($0.code, $0) })
        XCTAssertEqual(byCode["central"]?.name, "新区")
        XCTAssertEqual(byCode["central"]?.kind, .central)
        XCTAssertEqual(byCode["marine-hitech"]?.name, "海洋高新区")
        XCTAssertEqual(byCode["marine-hitech"]?.kind, .functionalZone)
        XCTAssertEqual(byCode["yinzhu"]?.name, "隐珠街道")
        XCTAssertEqual(byCode["yinzhu"]?.kind, .subdistrict)
    }

    func testFiveLeadsWithTheirNewCities() {
        let goals = Dictionary(uniqueKeysWithValues: plan.lines.filter { $0.department == "marine-hitech" }
            .map { ($0.name, $0.goal) })
        XCTAssertEqual(goals, ["总部引领": "现代海洋活力新城", "创新引领": "现代海洋科技新城", "高端引领": "现代海洋产业新城",
                               "文化引领": "现代海洋会展新城", "民生引领": "现代海洋宜居新城"])
        XCTAssertEqual(plan.lines.filter { $0.department == "yinzhu" }.sorted { $0.sortOrder < $1.sortOrder }.map(\.name),
                       ["党建引领", "产业升级", "暖企惠企", "城市更新建设", "基层治理", "民生保障"])
    }

    func testBatchesCarryPlannedCountInvestmentAndMilestone() throws {
        let expected: [(String, Int, String?, String, Stage)] = [
            ("marine-hitech/hq/hq-under-construction", 6, "190", "", .underConstruction),
            ("marine-hitech/hq/hq-land-and-start", 4, "130", "", .underConstruction),
            ("marine-hitech/hq/key-infrastructure", 7, "64", "近", .underConstruction),
            ("marine-hitech/hq/wastewater-and-wetland", 2, nil, "", .underConstruction),
            ("marine-hitech/innovation/start-construction", 3, "55", "", .underConstruction),
            ("marine-hitech/innovation/qianjian-medical-north", 1, "70", "不低于", .signed),
            ("marine-hitech/innovation/marine-life-health-park", 1, "100", "超", .underConstruction),
            ("marine-hitech/high-end/marine-biomedicine", 5, "15", "", .inProduction),
            ("marine-hitech/high-end/project-131", 3, "110", "", .underConstruction),
            ("marine-hitech/high-end/village-redevelopment", 5, nil, "", .underConstruction),
            ("marine-hitech/high-end/key-industry-projects", 2, nil, "", .underConstruction),
            ("marine-hitech/culture/commercial-streets", 3, "84", "", .underConstruction),
            ("marine-hitech/culture/culture-tower", 1, nil, "", .inProduction),
            ("marine-hitech/culture/three-venues", 3, nil, "", .underConstruction),
            ("marine-hitech/culture/health-care", 2, "10", "", .signed),
            ("marine-hitech/livelihood/urban-renewal", 2, nil, "", .underConstruction),
            ("marine-hitech/livelihood/aopulan-yacht", 1, nil, "", .underConstruction),
            ("marine-hitech/livelihood/hospital-and-haiwang", 2, nil, "", .underConstruction),
        ]
        for (id, count, investment, qualifier, milestone) in expected {
            let batch = try batch(id)
            XCTAssertEqual(batch.plannedCount, count, id)
            XCTAssertEqual(batch.plannedInvestment?.exactString, investment, id)
            XCTAssertEqual(batch.investmentQualifier, qualifier, id)
            XCTAssertEqual(batch.milestone, milestone, id)
        }
        // Every planned investment of the document, summed: 190+130+64+55+70+100+15+110+84+10.
        let total = plan.batches.compactMap(\.plannedInvestment).reduce(Decimal(0), +)
        XCTAssertEqual(total.exactString, "828")
    }

    func testNamedMembersBelongToTheirBatches() throws {
        func members(_ batch: String) -> Set<String> {
            Set(plan.projects.filter { $0.batch == batch }.map(\.name))
        }
        XCTAssertEqual(members("marine-hitech/hq/hq-under-construction"), ["山东能源集团金融贸易", "青岛国信科技金融"])
        XCTAssertEqual(members("marine-hitech/hq/hq-land-and-start"), ["山东发展投资集团“一带一路”基金总部", "智能制造研发中心"])
        XCTAssertEqual(members("marine-hitech/hq/key-infrastructure"), ["活力区地下环路工程", "沿滨海大道绿化工程"])
        XCTAssertEqual(members("marine-hitech/high-end/marine-biomedicine"), ["海藻药用胶囊", "壳寡糖"])
        XCTAssertEqual(members("marine-hitech/high-end/project-131"), ["海上风电装备（一期）"])
        XCTAssertEqual(members("marine-hitech/high-end/village-redevelopment"), ["郭家小庄"])
        XCTAssertEqual(members("marine-hitech/culture/commercial-streets"), ["利群茂及综合商街"])
        XCTAssertEqual(members("marine-hitech/culture/three-venues").count, 3)
        XCTAssertEqual(members("marine-hitech/culture/health-care"), ["平安医养中心", "钰润康养社区"])
        XCTAssertEqual(members("marine-hitech/livelihood/hospital-and-haiwang"), ["清华大学附属青岛医院", "海王纸业及周边土地城市更新"])
        XCTAssertEqual(members("yinzhu/industry/landing-projects"), ["特医食谷"])
        XCTAssertEqual(members("yinzhu/urban/village-redevelopment"), ["董家庄村改"])
        // No batch has more named members than planned.
        for batch in plan.batches {
            XCTAssertLessThanOrEqual(members(batch.id).count, batch.plannedCount, batch.id)
            XCTAssertTrue(plan.projects.filter { $0.batch == batch.id }.allSatisfy { $0.leadDepartment == batch.department })
        }
    }

    func testSharedProjectsExistOnceWithACoReportingDepartment() throws {
        let shengyuan = plan.projects.filter { $0.name == "圣元液体蛋白" }
        XCTAssertEqual(shengyuan.count, 1)
        XCTAssertEqual(shengyuan.first?.id, "p-shengyuan-liquid-protein")
        XCTAssertEqual(shengyuan.first?.leadDepartment, "marine-hitech")
        XCTAssertEqual(shengyuan.first?.coDepartments, ["yinzhu"])
        XCTAssertEqual(shengyuan.first?.batch, "marine-hitech/innovation/start-construction")
        let zhongjiate = plan.projects.filter { $0.name.contains("中加特") }
        XCTAssertEqual(zhongjiate.count, 1)
        XCTAssertEqual(zhongjiate.first?.leadDepartment, "yinzhu")
        XCTAssertEqual(zhongjiate.first?.coDepartments, ["marine-hitech"])
        // The platforms are projects of 创新引领 outside any batch.
        for name in ["海藻活性物质国家重点实验室", "琅琊台院士工作站", "聚大洋院士工作站", "明月海藻院士工作站"] {
            let project = try XCTUnwrap(plan.projects.first { $0.name == name }, name)
            XCTAssertEqual(project.line, "marine-hitech/innovation")
            XCTAssertNil(project.batch)
        }
    }

    func testMarineTargets() throws {
        let expected: [(String, String, String, String)] = [
            ("marine-hitech/hq/new-hq-projects", "3", "个", "不少于"),
            ("marine-hitech/hq/river-bridges", "2", "座", "确保"),
            ("marine-hitech/high-end/new-projects-over-100m", "25", "个", "力争"),
            ("marine-hitech/high-end/new-starts", "30", "个", "力争"),
            ("marine-hitech/high-end/completed-in-production", "30", "个", "力争"),
            ("marine-hitech/high-end/equipment-park", "1000", "亩", ""),
        ]
        for (id, figure, unit, qualifier) in expected {
            let target = try target(id)
            XCTAssertEqual(target.targetFigure.exactString, figure, id)
            XCTAssertEqual(target.unit, unit, id)
            XCTAssertEqual(target.qualifier, qualifier, id)
            XCTAssertEqual(target.direction, .atLeast, id)
            XCTAssertEqual(target.period, "2023", id)
        }
    }

    func testYinzhuTargets() throws {
        let expected: [(String, String, String, String)] = [
            ("yinzhu/industry/specialized-smes", "30", "家", "力争"),
            ("yinzhu/industry/high-tech-enterprises", "20", "家", "力争"),
            ("yinzhu/industry/tax-source-projects", "5", "个", "力争"),
            ("yinzhu/industry/fixed-asset-investment", "50", "亿元", "以上"),
            ("yinzhu/industry/industrial-output", "300", "亿元", "以上"),
            ("yinzhu/industry/district-tax-revenue", "4500", "万元", "以上"),
            ("yinzhu/industry/projects-landed", "10", "个", "10余个"),
            ("yinzhu/industry/chain-task-forces", "4", "个", ""),
            ("yinzhu/enterprise/service-stations", "6", "处", ""),
            ("yinzhu/urban/old-compounds", "10", "个", ""),
            ("yinzhu/urban/municipal-roads", "22", "条", ""),
            ("yinzhu/livelihood/collective-buildings", "4", "处", ""),
            ("yinzhu/livelihood/kindergartens", "4", "所", ""),
            ("yinzhu/livelihood/veterans-station", "1", "个", ""),
        ]
        for (id, figure, unit, qualifier) in expected {
            let target = try target(id)
            XCTAssertEqual(target.targetFigure.exactString, figure, id)
            XCTAssertEqual(target.unit, unit, id)
            XCTAssertEqual(target.qualifier, qualifier, id)
        }
    }

    func testTasksAreOneItemTargets() {
        let tasks = plan.targets.filter(\.isTask)
        XCTAssertTrue(tasks.allSatisfy { $0.targetFigure == 1 && $0.currentFigure == 0 })
        let names = Set(tasks.map(\.name))
        for name in ["引进海洋生命科学等行业领军人才", "引进大型文旅产业项目", "保交楼、稳民生", "高标准建设“初心驿站”",
                     "实施“青苗计划”", "中加特院士工作站揭牌", "推出养老顾问制度", "健全防返贫动态监测机制"] {
            XCTAssertTrue(names.contains(name), name)
        }
        XCTAssertEqual(tasks.filter { $0.department == "marine-hitech" }.count, 4)
        XCTAssertEqual(tasks.filter { $0.department == "yinzhu" }.count, 11)
    }

    func testPeriodsAreChinaStandardTime() throws {
        let january = try XCTUnwrap(plan.periods.first { $0.code == "2023-01" })
        XCTAssertEqual(january.kind, .month)
        // 2023-01-01 00:00 CST is 2022-12-31 16:00 UTC.
        XCTAssertEqual(january.startsAt.timeIntervalSince1970, 1_672_502_400)
        XCTAssertEqual(january.endsAt, plan.periods.first { $0.code == "2023-02" }?.startsAt)
        XCTAssertEqual(Timestamp.format(january.dueAt), "2023-02-06T00:00:00+08:00")
        let year = try XCTUnwrap(plan.periods.first { $0.code == "2023" })
        XCTAssertEqual(Timestamp.format(year.endsAt), "2024-01-01T00:00:00+08:00")
        // The plan's periods equal the calendar's own.
        XCTAssertEqual(plan.periods, CampaignCalendar().periods(ofYear: 2023))
    }

    func testValidationRejectsBrokenReferences() {
        var broken = plan
        broken.projects[0].batch = "no-such-batch"
        XCTAssertThrowsError(try broken.validate())
        broken = plan
        broken.targets.append(broken.targets[0])
        XCTAssertThrowsError(try broken.validate())
        broken = plan
        broken.projects[0].coDepartments = [broken.projects[0].leadDepartment]
        XCTAssertThrowsError(try broken.validate())
    }

    func testDocumentRoundTripsThroughJSON() throws {
        let text = try EntityJSON.encode(plan)
        XCTAssertEqual(try PlanDocument.decode(text), plan)
    }
}
