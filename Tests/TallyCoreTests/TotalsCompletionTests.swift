import Foundation
import XCTest
@testable import TallyCore

/// Completion and standing of at-least, at-most and done/not-done targets against elapsed time.
final class TotalsCompletionTests: XCTestCase {
    let builder = DashboardBuilder()
    let calendar = CampaignCalendar()
    let state = PlanState(plan: .default2023)

    private func target(unit: String = "个", direction: Direction = .atLeast, figure: String, current: String) throws -> TargetRecord {
        TargetRecord(id: "t", department: "yinzhu", line: "yinzhu/industry", name: "t", unit: unit, direction: direction,
                     targetFigure: try XCTUnwrap(Decimal(exact: figure)), currentFigure: try XCTUnwrap(Decimal(exact: current)),
                     period: "2023")
    }

    /// An instant at which exactly `percent` of 2023 has elapsed (for these values, whole hours).
    private func elapsed(_ percent: Int) throws -> Date {
        let year = try XCTUnwrap(calendar.period("2023"))
        return year.startsAt.addingTimeInterval(365 * 86_400 * Double(percent) / 100)
    }

    private func check(_ target: TargetRecord, at date: Date, completion: String, standing: Standing,
                       file: StaticString = #filePath, line: UInt = #line) {
        let status = builder.targetStatus(target, in: state, at: date)
        XCTAssertEqual(status.completionPercent, completion, file: file, line: line)
        XCTAssertEqual(status.standing, standing.proto, file: file, line: line)
    }

    func testAtLeastAgainstElapsedTime() throws {
        let half = try elapsed(50)
        check(try target(figure: "30", current: "15"), at: half, completion: "50", standing: .onTrack)
        check(try target(figure: "30", current: "13"), at: half, completion: "43.3", standing: .amber)
        check(try target(figure: "30", current: "12"), at: half, completion: "40", standing: .amber)
        check(try target(figure: "30", current: "11"), at: half, completion: "36.7", standing: .behind)
        check(try target(figure: "30", current: "30"), at: half, completion: "100", standing: .met)
        check(try target(figure: "30", current: "45"), at: half, completion: "100", standing: .met)
        check(try target(figure: "30", current: "0"), at: try elapsed(0), completion: "0", standing: .onTrack)
        check(try target(figure: "30", current: "0"), at: try elapsed(10), completion: "0", standing: .amber)
        check(try target(figure: "30", current: "0"), at: try elapsed(20), completion: "0", standing: .behind)
        check(try target(figure: "300", current: "271.5"), at: try elapsed(90), completion: "90.5", standing: .onTrack)
        check(try target(unit: "亿元", figure: "0", current: "0"), at: half, completion: "100", standing: .met)
    }

    func testAtMostIsMetUntilExceeded() throws {
        let half = try elapsed(50)
        check(try target(direction: .atMost, figure: "10", current: "4"), at: half, completion: "100", standing: .met)
        check(try target(direction: .atMost, figure: "10", current: "10"), at: half, completion: "100", standing: .met)
        check(try target(direction: .atMost, figure: "10", current: "16"), at: half, completion: "62.5", standing: .behind)
        check(try target(direction: .atMost, figure: "0", current: "0"), at: half, completion: "100", standing: .met)
    }

    func testTasksAreDoneOrNot() throws {
        let task = try target(unit: "项", figure: "1", current: "0")
        check(task, at: try elapsed(5), completion: "0", standing: .amber)
        check(task, at: try elapsed(50), completion: "0", standing: .behind)
        check(try target(unit: "项", figure: "1", current: "1"), at: try elapsed(50), completion: "100", standing: .met)
        check(try target(unit: "项", figure: "1", current: "0.5"), at: try elapsed(1), completion: "0", standing: .amber)
    }

    func testToleranceIsConfigurable() throws {
        let strict = DashboardBuilder(tolerance: 0)
        let status = strict.targetStatus(try target(figure: "30", current: "14"), in: state, at: try elapsed(50))
        XCTAssertEqual(status.standing, .behind)
        XCTAssertEqual(strict.standing(completion: 50, elapsedPercent: 50), .onTrack)
        XCTAssertEqual(builder.standing(completion: 40, elapsedPercent: 50), .amber)
        XCTAssertEqual(builder.standing(completion: Decimal(exact: "39.9") ?? 0, elapsedPercent: 50), .behind)
    }
}
