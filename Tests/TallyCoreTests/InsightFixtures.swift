import Foundation
@testable import TallyCore

/// A made-up campaign for warnings, forecasts and the ranking: departments each with one line and
/// the targets the test gives, and instants of the 2023 campaign clock.
enum InsightFixtures {
    static let calendar = CampaignCalendar()

    /// 2023-07-02 12:00 CST: exactly half of the 2023 campaign year (182.5 of 365 days), so six months are left.
    static let midYear = calendar.date(year: 2023, month: 7, day: 2, hour: 12)!

    /// A 2023 state with the central office and the given departments (a line each).
    static func state(departments: [String], targets: [TargetRecord]) -> PlanState {
        let records = [DepartmentRecord(code: "central", name: "新区", kind: .central, sortOrder: 0)]
            + departments.enumerated().map { DepartmentRecord(code: $1, name: $1, kind: .subdistrict, sortOrder: $0 + 1) }
        let lines = departments.map { LineRecord(code: "\($0)/main", department: $0, name: "main") }
        return PlanState(departments: records, lines: lines, periods: calendar.periods(ofYear: 2023), targets: targets,
                         batches: [], projects: [], year: "2023")
    }

    /// An at-least target of `department` for 2023 with a current figure.
    static func target(_ id: String, department: String, figure: String, current: String = "0",
                       direction: Direction = .atLeast) -> TargetRecord {
        TargetRecord(id: id, department: department, line: "\(department)/main", name: id, unit: "亿元",
                     direction: direction, targetFigure: Decimal(exact: figure)!, currentFigure: Decimal(exact: current)!,
                     period: "2023")
    }

    /// Records month-end figures of a target (each month's report moves it from the previous figure).
    static func history(_ state: inout PlanState, target: String, _ figures: [(String, String)]) {
        var previous = "0"
        for (month, figure) in figures {
            state.history.recordFigure(target: target, month: month, old: previous, new: figure)
            previous = figure
        }
    }
}
