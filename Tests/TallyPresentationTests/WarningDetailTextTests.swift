import Foundation
import TallyMessages
import XCTest
@testable import TallyCore
import TallyPresentation

/// A warning's figures (`Warning.detail`, English on the wire) shown in Chinese: every detail the
/// server's warning rules write is known to ``MessageCatalog/warningDetails`` and reads in Chinese
/// words, and English stays the server's text.
final class WarningDetailTextTests: XCTestCase {
    /// The 2023 plan on 27 November 2023, nothing reported, one 调度 request overdue: all four kinds stand.
    private func warnings() throws -> [Tally_V1_Warning] {
        let calendar = CampaignCalendar()
        let instant = try XCTUnwrap(calendar.date(year: 2023, month: 11, day: 27, hour: 12))
        let due = try XCTUnwrap(calendar.date(year: 2023, month: 11, day: 20, hour: 17, minute: 30))
        let dispatch = DispatchInputs(overdue: [.init(request: "r-7", department: "yinzhu", title: "三季度投资说明: 补报", dueAt: due)],
                                      answers: [:])
        let context = InsightContext(state: PlanState(plan: .default2023), builder: DashboardBuilder(), dispatch: dispatch,
                                     instant: instant)
        return context.warnings()
    }

    func testEveryKindOfDetailReadsInChinese() throws {
        let all = try warnings()
        XCTAssertEqual(Set(all.map(\.kind)), [.noReport, .redRunning, .stageStalled, .requestOverdue])
        for warning in all {
            XCTAssertNotNil(MessageRendering.recognize(warning.detail, in: MessageCatalog.warningDetails), warning.detail)
            let chinese = InsightText.detail(warning, .zh)
            XCTAssertNotEqual(chinese, warning.detail)
            for english in ["no report", "completion", "elapsed", "stage ", "milestone", "never", "unanswered", "T00:"] {
                XCTAssertFalse(chinese.contains(english), "\(english) in \(chinese)")
            }
            XCTAssertEqual(InsightText.detail(warning, .en), warning.detail)
        }
    }

    func testEachKindSaysItsFiguresInChinese() throws {
        let all = try warnings()
        func line(_ key: String) throws -> String {
            InsightText.line(try XCTUnwrap(all.first { $0.key == key }, key), .zh, names: ["yinzhu": "隐珠街道", "marine-hitech": "海洋高新区"])
        }
        XCTAssertEqual(try line("no_report:yinzhu:2023-10"), "[逾期未报] 隐珠街道 (2023-10)：2023-10 的月报未报，应于 2023-11-06 00:00 前报送")
        XCTAssertTrue(try line("red_running:yinzhu/industry/fixed-asset-investment:yinzhu")
            .hasSuffix("：完成度 0%，时间进度 90.5%，已连续 2 期红灯（容差 10 个百分点）"))
        XCTAssertEqual(try line("stage_stalled:p-sdic-belt-road-fund-hq:marine-hitech"),
                       "[项目停滞] 海洋高新区 p-sdic-belt-road-fund-hq：当前阶段 计划，应于 2024-01-01 00:00 前达到 在建；上次推进：从未")
        // A title with ": " of its own stays whole.
        XCTAssertEqual(try line("request_overdue:r-7:yinzhu"), "[调度逾期] 隐珠街道 r-7：三季度投资说明: 补报：自 2023-11-20 17:30 起未答复")
    }

    func testARequestTitleStaysAsWritten() {
        var warning = Tally_V1_Warning()
        warning.kind = .requestOverdue
        warning.detail = "planned: unanswered since 2023-11-20T17:30:00+08:00"
        XCTAssertEqual(InsightText.detail(warning, .zh), "planned：自 2023-11-20 17:30 起未答复")
    }

    func testAnUnknownDetailStaysAsTheServerWroteIt() {
        var warning = Tally_V1_Warning()
        warning.kind = .noReport
        warning.detail = "a rule added by a newer server"
        XCTAssertEqual(InsightText.detail(warning, .zh), "a rule added by a newer server")
    }
}
