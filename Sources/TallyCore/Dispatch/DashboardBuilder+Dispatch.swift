import Foundation
import TallyMessages

extension DashboardBuilder {
    /// The dispatch or report a `dispatch` or `review` change left, for its watch event.
    func dispatchParts(of change: ChangeRecord, in state: PlanState, at instant: Date, into event: inout Tally_V1_ChangeEvent) {
        switch change.kind {
        case .dispatch:
            if let dispatch = state.dispatch.dispatches[change.subjectId] { event.dispatch = dispatch.proto(at: instant) }
        case .review:
            if let report = state.dispatch.reports[change.subjectId] { event.report = report.proto }
        default:
            break
        }
    }
}
