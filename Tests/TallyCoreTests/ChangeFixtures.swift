import Foundation
import XCTest
@testable import TallyCore

/// A committed change of a target's figure, as the change log would hold it: the target as it
/// stands in `state` with `current` as its figure and one version more.
func targetChange(_ state: PlanState, sequence: Int64, id: String, current: String,
                  department: String?, at date: Date) throws -> ChangeRecord {
    var target = try XCTUnwrap(state.targets[id])
    target.currentFigure = try XCTUnwrap(Decimal(exact: current))
    target.version += 1
    return ChangeRecord(sequence: sequence, committedAt: date, period: CampaignCalendar().monthPeriod(of: date),
                        department: department, credential: "c-1", kind: .target, subjectId: id,
                        field: "current_figure", oldValue: "0", newValue: current, entity: try EntityJSON.encode(target))
}
