import Foundation
import XCTest
@testable import TallyCore
import TallyPresentation

/// Office formatting of money, figures, dates and labels, and terminal display width.
final class OfficeFormatTests: XCTestCase {
    private func decimal(_ text: String) throws -> Decimal { try XCTUnwrap(Decimal(exact: text)) }

    func testMoney() throws {
        XCTAssertEqual(OfficeFormat.money(yi: 190), "190亿元")
        XCTAssertEqual(OfficeFormat.money(yi: 64), "64亿元")
        XCTAssertEqual(OfficeFormat.money(yi: try decimal("63.5")), "63.5亿元")
        XCTAssertEqual(OfficeFormat.money(yi: try decimal("1")), "1亿元")
        XCTAssertEqual(OfficeFormat.money(yi: try decimal("0.45")), "4500万元")
        XCTAssertEqual(OfficeFormat.money(yi: try decimal("0.000001")), "0.01万元")
        XCTAssertEqual(OfficeFormat.money(yi: 0), "0亿元")
        XCTAssertEqual(OfficeFormat.money(yi: 190, .en), "CNY 19 billion")
        XCTAssertEqual(OfficeFormat.money(yi: try decimal("0.45"), .en), "CNY 45 million")
    }

    func testFigures() throws {
        XCTAssertEqual(OfficeFormat.figure(4500, unit: "万元"), "4500万元")
        XCTAssertEqual(OfficeFormat.figure(50, unit: "亿元"), "50亿元")
        XCTAssertEqual(OfficeFormat.figure(1000, unit: "亩"), "1000亩")
        XCTAssertEqual(OfficeFormat.figure(25, unit: "个", .en), "25 个")
        XCTAssertEqual(OfficeFormat.figure(1, unit: "项"), "已完成")
        XCTAssertEqual(OfficeFormat.figure(0, unit: "项", .en), "not done")
        XCTAssertEqual(OfficeFormat.percent(try decimal("45.46")), "45.5%")
    }

    func testDatesInChinaStandardTime() throws {
        // 2023-11-26 20:00 UTC is already the 27th in China.
        let instant = try XCTUnwrap(Timestamp.parse("2023-11-26T20:00:00Z"))
        XCTAssertEqual(OfficeFormat.date(instant), "2023年11月27日")
        XCTAssertEqual(OfficeFormat.date(instant, .en), "2023-11-27")
        XCTAssertEqual(OfficeFormat.isoDate(instant), "2023-11-27")
        XCTAssertEqual(OfficeFormat.dateTime(instant), "2023-11-27 04:00")
        XCTAssertEqual(OfficeFormat.period("2023-03"), "2023年3月")
        XCTAssertEqual(OfficeFormat.period("2023"), "2023年")
        XCTAssertEqual(OfficeFormat.period("2023-03", .en), "2023-03")
    }

    func testLabels() {
        XCTAssertEqual(Stage.allCases.map { $0.label(.zh) }, ["计划", "签约", "拿地", "在建", "竣工", "投产运营"])
        XCTAssertEqual(Stage.inProduction.label(.en), "in production")
        XCTAssertEqual(Standing.allCases.map { $0.label(.zh) }, ["已完成", "正常", "预警", "滞后", "未完成"])
        XCTAssertEqual(Standing.allCases.map { $0.label(.en) }, ["met", "on track", "amber", "behind", "missed"])
        XCTAssertEqual(Direction.atLeast.label(.zh), "不少于")
        XCTAssertTrue(Stage.planned < Stage.inProduction)
        XCTAssertEqual(Stage.allCases.sorted(), Stage.allCases)
        XCTAssertEqual(Stage.allCases.map(\.rawValue),
                       ["planned", "signed", "land_acquired", "under_construction", "completed", "in_production"])
        for stage in Stage.allCases { XCTAssertEqual(Stage(proto: stage.proto), stage) }
        XCTAssertNil(Stage(proto: .unspecified))
        for role in Role.allCases { XCTAssertEqual(Role(proto: role.proto), role) }
    }

    func testDisplayWidth() {
        XCTAssertEqual(DisplayWidth.of("海洋高新区"), 10)
        XCTAssertEqual(DisplayWidth.of("abc"), 3)
        XCTAssertEqual(DisplayWidth.of("海上风电装备（一期）"), 20)
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1)
        XCTAssertEqual(DisplayWidth.pad("隐珠街道", to: 10), "隐珠街道  ")
        XCTAssertEqual(DisplayWidth.pad("42", to: 5, alignRight: true), "   42")
        XCTAssertEqual(DisplayWidth.truncate("海洋高新区", to: 7), "海洋高…")
        XCTAssertEqual(DisplayWidth.truncate("海洋高新区", to: 6), "海洋…")
        XCTAssertEqual(DisplayWidth.truncate("海洋高新区", to: 10), "海洋高新区")
        XCTAssertEqual(DisplayWidth.of(DisplayWidth.fit("海洋高新区", to: 8)), 8)
    }
}
