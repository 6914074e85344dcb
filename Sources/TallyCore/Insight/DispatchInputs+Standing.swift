import Foundation

extension DispatchInputs {
    /// The 调度 feature's standing as warnings and the ranking read it: each open request a
    /// department left unanswered past its due time, and per department its answers on time, late
    /// and overdue.
    init(_ standing: DispatchStanding, titles: [String: String]) {
        self.init(
            overdue: standing.overdue.map {
                Overdue(request: $0.dispatch, department: $0.department, title: titles[$0.dispatch] ?? $0.dispatch, dueAt: $0.dueAt)
            },
            answers: standing.departments.mapValues { Answers(onTime: $0.answeredOnTime, late: $0.answeredLate, overdue: $0.overdue) })
    }
}
