import Foundation
import TallyMessages

/// Builders for requests, so tests read as what a clerk does.
public enum Requests {
    /// Adds `value` to a target's figure.
    public static func increment(_ target: String, by value: String = "1", id: String = UUID().uuidString,
                                 note: String = "") -> Tally_V1_ReportTargetRequest {
        var request = report(target, .increment(value), id: id)
        request.note = note
        return request
    }

    /// Sets a target's figure, optionally only if its version is still `expectedVersion`.
    public static func set(_ target: String, to value: String, id: String = UUID().uuidString,
                           expectedVersion: Int64 = 0, unit: String = "") -> Tally_V1_ReportTargetRequest {
        var request = report(target, .setValue(value), id: id)
        request.expectedVersion = expectedVersion
        request.unit = unit
        return request
    }

    /// Reports a project's stage, investment or progress (or corrects them with a reason).
    public static func project(_ project: String, stage: Tally_V1_Stage = .unspecified, investment: String = "",
                               percent: String = "", correction: Bool = false, reason: String = "",
                               id: String = UUID().uuidString) -> Tally_V1_ReportProjectRequest {
        .with {
            ($0.requestID, $0.projectID, $0.stage) = (id, project, stage)
            ($0.investmentCompleted, $0.percent) = (investment, percent)
            ($0.correction, $0.correctionReason) = (correction, reason)
        }
    }

    /// Registers a new project `name` in a batch.
    public static func register(batch: String, name: String, id: String = UUID().uuidString)
        -> Tally_V1_RegisterProjectRequest {
        .with { ($0.requestID, $0.batchID, $0.name) = (id, batch, name) }
    }

    /// A period report of target updates (each without a request id of its own).
    public static func periodReport(_ updates: [Tally_V1_ReportTargetRequest], id: String = UUID().uuidString)
        -> Tally_V1_SubmitPeriodReportRequest {
        .with {
            $0.requestID = id
            $0.updates = updates.map { update in .with { $0.target = update } }
        }
    }

    /// A target of the plan for Admin/UpsertTarget: `department`'s line `line` (a path under it),
    /// a 2023 "at least" target unless told otherwise.
    public static func target(_ id: String, department: String, line: String, name: String, unit: String = "个",
                              figure: String, direction: Tally_V1_Direction = .atLeast) -> Tally_V1_Target {
        .with {
            ($0.id, $0.department, $0.line, $0.name) = (id, department, "\(department)/\(line)", name)
            ($0.unit, $0.targetFigure, $0.direction, $0.period) = (unit, figure, direction, "2023")
        }
    }

    private static func report(_ target: String, _ change: Tally_V1_ReportTargetRequest.OneOf_Change,
                               id: String) -> Tally_V1_ReportTargetRequest {
        .with {
            $0.requestID = id
            $0.targetID = target
            $0.change = change
        }
    }
}
