@testable import TallyCore
import TallyWire
import XCTest

/// The message catalog: English messages keep their text, Chinese ones have no English left in
/// them, and a status carries its code and arguments.
final class MessageCatalogTests: XCTestCase {
    static let samples = [
        #"target "yinzhu/x" does not exist"#,
        #"target "marine-hitech/a" belongs to 海洋高新区 (marine-hitech); this credential reports for 隐珠街道 (yinzhu)"#,
        #"unit "个" does not match target "yinzhu/x", which is measured in "亿元""#,
        #"stale version: target "yinzhu/x" is at version 3, the request expected 2; read it again and retry"#,
        #"figure of target "yinzhu/x" must not be negative (it would become -5)"#,
        #"project "p-a" (圣元) is led by 海洋高新区 (marine-hitech) and not co-reported by 隐珠街道 (yinzhu)"#,
        #"stage of project "p-a" cannot move back from 在建 (under_construction) to 签约 (signed) without the correction flag and a reason"#,
        #"update 2 of 3: target "yinzhu/no-such-target" does not exist"#,
        #"only a department credential reports figures; this credential has the central role (the central office reads everything and changes only the plan)"#,
        #"only the central office or an admin changes the plan; this credential reports for yinzhu"#,
        #"investment_completed: must not be negative (got -3)"#,
        #"target_id: required"#,
        "unknown token",
        "database unavailable, retry",
        "cannot reach 127.0.0.1:1: connection refused",
        "subject_id: no-such-target is not a target, project, batch, department, line, period, campaign, dispatch or report",
        "p-shengyuan-liquid-protein: its stage and investment belong to the lead department marine-hitech (海洋高新区); yinzhu co-reports it and may report percent and notes",
        "period: 2030-01 is outside the 2023 campaign of updates[0] (target yinzhu/x); give a period from 2023-01 to 2023-12, or 2023",
        "only an admin credential applies or exports plan files; this one has the central role",
        "campaign 2031: no such campaign",
        #"project "p-a" (圣元液体蛋白): the plan gives 海洋高新区 (marine-hitech) no share of its investment; its investment belongs to the lead department 隐珠街道 (yinzhu)"#,
        #"shares: project "p-a": a share belongs to one of its co-reporting departments (yinzhu), not to marine-hitech"#,
        "nothing to report: give stage, investment_completed, percent or share_investment",
        "campaign: a new batch names its campaign (one of 2023, 2024)",
        "campaign: there is no campaign 2031 (campaigns: 2023, 2024)",
        #"campaign: project "p-x" is in batch "2024/y" of campaign 2024, not 2023"#,
        "campaign 2031: no such campaign (campaigns: 2023, 2024)",
        #"dispatch "D3" is not addressed to 隐珠街道 (yinzhu)"#,
        #"resubmits: report "R1" is accepted, not returned: only a returned report is corrected by a resubmission"#,
        "only the central office or an admin issues and closes 调度 requests and reviews reports; this credential reports for yinzhu",
        // Plan files (MessageCatalog+Plan.swift).
        "plan-2024.json:57: targets[2].line: target 2024/yinzhu/x: unknown line yinzhu/y",
        "plan-2024.json:131: periods[1].code: period 2023-01 is not in the campaign year 2024",
        "plan-2024.json:3: warnings.red_periods: must be at least 1",
        "project p-a: unknown lead department nowhere",
        "change target 2024/yinzhu/x: target_figure 30 → 35",
        "applied: add batch 2024/yinzhu/b 第一批",
        "target 2023/yinzhu/x is not in the file: kept (a plan never deletes)",
    ]

    func testEnglishMessagesKeepTheirText() {
        for (index, message) in Self.samples.enumerated() where index != 6 {
            XCTAssertNotNil(MessageRendering.recognize(message), "the catalog knows `\(message)`")
            XCTAssertEqual(MessageRendering.render(message, in: .en), message)
        }
        // Stages are said in one language too.
        XCTAssertEqual(MessageRendering.render(Self.samples[6], in: .en),
                       #"stage of project "p-a" cannot move back from under construction to signed without the correction flag and a reason"#)
        XCTAssertEqual(MessageRendering.render(Self.samples[6], in: .zh), "项目“p-a”的阶段不能从在建退回签约，除非标明更正并说明原因")
    }

    func testChineseMessagesHaveNoEnglishSentenceLeft() {
        for message in Self.samples {
            let zh = MessageRendering.render(message, in: .zh)
            for word in ["does not", "belongs", "credential", "must not", "stale", "update ", "required", "cannot", "retry", "unknown"] {
                XCTAssertFalse(zh.contains(word), "`\(zh)` (from `\(message)`) still says `\(word)`")
            }
        }
        XCTAssertEqual(MessageRendering.render(Self.samples[7], in: .zh), "第 2 项更新（共 3 项）：指标“yinzhu/no-such-target”不存在")
        XCTAssertEqual(MessageRendering.render(Self.samples[10], in: .zh), "完成投资（investment_completed）：不能为负（收到 -3）")
        XCTAssertEqual(MessageRendering.render("an unknown message", in: .zh), "an unknown message", "unknown text passes unchanged")
        XCTAssertEqual(MessageRendering.render("plan-2024.json:57: targets[2].line: target 2024/yinzhu/x: unknown line yinzhu/y", in: .zh),
                       "plan-2024.json:57：targets[2].line：指标 2024/yinzhu/x：条线 yinzhu/y 不存在")
        XCTAssertEqual(MessageRendering.render("project p-a: unknown lead department nowhere", in: .zh), "项目 p-a：牵头部门 nowhere 不存在")
        XCTAssertEqual(MessageRendering.render("applied: add batch 2024/yinzhu/b 第一批", in: .zh), "已应用：新增批次 2024/yinzhu/b 第一批")
    }

    func testAPatternMadeFromTheEnglishTextMatchesItsOwnMessages() {
        let template = MessageTemplate("test.derived", en: #"target "{0}" (a.b) has {1}"#, zh: "指标“{0}”有 {1}")
        XCTAssertEqual(template.arguments(of: #"target "x y" (a.b) has 3 [items]"#), ["x y", "3 [items]"])
        XCTAssertNil(template.arguments(of: #"target "x" (aXb) has 3"#), "a dot is itself, not any character")
        XCTAssertNil(template.arguments(of: #"target "x"y" (a.b) has 3"#), "a quoted argument holds no quote")
    }

    func testEveryPatternCompilesAndEveryCodeIsUnique() {
        for template in MessageCatalog.templates {
            XCTAssertNotNil(template.regex, "\(template.code): the pattern does not compile")
            XCTAssertFalse(template.en.isEmpty || template.zh.isEmpty, "\(template.code): a text is missing")
        }
        XCTAssertEqual(Set(MessageCatalog.templates.map(\.code)).count, MessageCatalog.templates.count)
        XCTAssertEqual(MessageRendering.render(#"target "{1}" does not exist"#, in: .zh), "指标“{1}”不存在", "arguments are not re-read")
    }

    func testAStatusCarriesItsCodeAndArguments() {
        let error = RPCError(.notFound, Self.samples[0], cause: CancellationError())
        let zh = MessageRendering.localized(error, in: .zh)
        XCTAssertEqual(zh.code, .notFound)
        XCTAssertEqual(zh.message, "指标“yinzhu/x”不存在")
        XCTAssertEqual(zh.metadata["message-code"], "target.not_found")
        XCTAssertEqual(zh.metadata["message-args"], #"["yinzhu/x"]"#)
        XCTAssertTrue(zh.cause is CancellationError, "the cause stays for the log")
        XCTAssertEqual(MessageRendering.localized(error, in: .en).message, Self.samples[0])
        XCTAssertEqual(MessageLanguage(metadata: "zh-CN,zh;q=0.9,en;q=0.8"), .zh)
        XCTAssertEqual(MessageLanguage(metadata: nil), .en)
    }
}
