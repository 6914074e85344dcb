import Foundation
import TallyMessages
import XCTest
@testable import TallyCore

/// Forecasts on made-up histories with known answers: at mid-year (six months left) a target at 72
/// whose last three finished months added 10, 10 and 22 has a pace of 14 and projects to
/// 72 + 14 × 6 = 156, with a band from 72 + 10 × 6 = 132 to 72 + 22 × 6 = 204.
final class InsightForecastTests: XCTestCase {
    private func context(_ targets: [TargetRecord], at instant: Date = InsightFixtures.midYear) -> InsightContext {
        var state = InsightFixtures.state(departments: ["a"], targets: targets)
        for target in targets {
            InsightFixtures.history(&state, target: target.id,
                                    [("2023-02", "20"), ("2023-03", "30"), ("2023-04", "40"), ("2023-05", "50"), ("2023-06", "72")])
        }
        return InsightContext(state: state, builder: DashboardBuilder(), instant: instant)
    }

    func testSixMonthsAreLeftAtMidYear() {
        XCTAssertEqual(context([]).monthsLeft, 6)
    }

    func testProjectionAndBandFromTheLastThreeFinishedMonths() throws {
        let forecast = context([InsightFixtures.target("t150", department: "a", figure: "150", current: "72")]).forecast()
        let target = try XCTUnwrap(forecast.targets.first)
        XCTAssertEqual(target.months, ["2023-04", "2023-05", "2023-06"])
        XCTAssertEqual(target.monthlyPace, "14")
        XCTAssertEqual(target.projectedFigure, "156")
        XCTAssertEqual(target.lowFigure, "132")
        XCTAssertEqual(target.highFigure, "204")
        XCTAssertEqual(forecast.monthsLeft, "6")
        XCTAssertTrue(target.willMeet)
        XCTAssertEqual(target.outlook, .atRisk, "the mean pace reaches 150, the slowest month's (132) does not")
    }

    func testOutlooksAgainstTheBand() throws {
        let forecast = context([
            InsightFixtures.target("t130", department: "a", figure: "130", current: "72"),
            InsightFixtures.target("t160", department: "a", figure: "160", current: "72"),
            InsightFixtures.target("t70", department: "a", figure: "70", current: "72"),
        ]).forecast()
        let outlooks = Dictionary(uniqueKeysWithValues: forecast.targets.map { ($0.targetID, $0.outlook) })
        XCTAssertEqual(outlooks, ["t130": .onCourse, "t160": .offCourse, "t70": .met])
        XCTAssertEqual(forecast.targets.first { $0.targetID == "t160" }?.willMeet, false)
        XCTAssertEqual(forecast.targets.first { $0.targetID == "t160" }?.projectedCompletionPercent, "97.5")
        let department = try XCTUnwrap(forecast.departments.first { $0.department == "a" })
        XCTAssertEqual([department.total, department.met, department.onCourse, department.atRisk, department.offCourse],
                       [3, 1, 1, 0, 1])
        // Projected completions 100, 97.5 and 100: mean 99.1666… shown as 99.2.
        XCTAssertEqual(department.projectedCompletionPercent, "99.2")
        XCTAssertEqual(forecast.lines.first { $0.line == "a/main" }?.total, 3)
    }

    func testAnAtMostTargetProjectsItsGrowthAgainstItsCeiling() throws {
        // Figures rise 10, 10, 22 a month: 156 projected is within the ceiling of 200, but the
        // fastest month's pace (204) is not, so it is at risk rather than on course.
        let forecast = context([InsightFixtures.target("cap", department: "a", figure: "200", current: "72", direction: .atMost)]).forecast()
        let target = try XCTUnwrap(forecast.targets.first)
        XCTAssertEqual(target.outlook, .atRisk)
        XCTAssertTrue(target.willMeet)
    }

    func testNoFinishedMonthMeansNoHistory() throws {
        let january = try XCTUnwrap(InsightFixtures.calendar.date(year: 2023, month: 1, day: 20))
        let forecast = context([InsightFixtures.target("t", department: "a", figure: "150", current: "5")], at: january).forecast()
        XCTAssertEqual(forecast.targets.first?.outlook, .noHistory)
        XCTAssertEqual(forecast.targets.first?.monthlyPace, "")
        XCTAssertEqual(forecast.departments.first?.noHistory, 1)
    }

    func testAMonthWithoutReportsCountsAsNoIncrease() throws {
        // Reports in April and June only: May added nothing, so the pace is (10 + 0 + 22) / 3.
        var state = InsightFixtures.state(departments: ["a"], targets: [InsightFixtures.target("t", department: "a", figure: "150", current: "72")])
        InsightFixtures.history(&state, target: "t", [("2023-03", "40"), ("2023-04", "50"), ("2023-06", "72")])
        let forecast = InsightContext(state: state, builder: DashboardBuilder(), instant: InsightFixtures.midYear).forecast()
        let target = try XCTUnwrap(forecast.targets.first)
        XCTAssertEqual(target.lowFigure, "72")            // May: 0 a month
        XCTAssertEqual(target.highFigure, "204")          // June: 22 a month
        XCTAssertEqual(target.projectedFigure, "136")     // 72 + 32/3 × 6 = 72 + 64
        XCTAssertEqual(target.outlook, .offCourse)
    }
}
