import Foundation
import XCTest
@testable import TallyCore

/// Change events keep overall and department progress as running sums; they must always equal
/// progress summed afresh over every target.
final class TotalsProgressTallyTests: XCTestCase {
    func testRunningSumsEqualAFreshSumAfterEveryChange() throws {
        var state = PlanState(plan: .default2023)
        let builder = DashboardBuilder(tolerance: 10)
        let instant = try XCTUnwrap(CampaignCalendar().date(year: 2023, month: 7, day: 1))
        let targets = state.sortedTargets.filter { !$0.isTask }.prefix(12)
        XCTAssertGreaterThan(targets.count, 5)
        var cache: ChangeEventCache?
        var sequence: Int64 = 0
        for round in 1...4 {
            for (index, target) in targets.enumerated() {
                sequence += 1
                // Figures that divide unevenly (thirds, sevenths) and that cross standings.
                let figure = (target.targetFigure * Decimal(round * (index + 1))) / 7
                let change = try targetChange(state, sequence: sequence, id: target.id,
                                              current: figure.rounded(scale: 6).exactString,
                                              department: target.department, at: instant)
                try state.apply(change)
                let running = builder.changeEvent(for: change, in: state, at: instant, reusing: &cache)
                let fresh = builder.changeEvent(for: change, in: state, at: instant)
                XCTAssertEqual(running.overall, fresh.overall, "overall after change \(sequence)")
                XCTAssertEqual(running.department.progress, fresh.department.progress, "department after change \(sequence)")
                XCTAssertEqual(running.overall, builder.dashboard(state, at: instant).overall, "dashboard after change \(sequence)")
            }
        }
    }
}
