import Foundation
import TallyMessages

/// Builders for requests, so tests read as what a clerk does.
public enum Requests {
    public static func increment(_ target: String, by value: String = "1", id: String = UUID().uuidString,
                          note: String = "") -> Tally_V1_ReportTargetRequest {
        var request = Tally_V1_ReportTargetRequest()
        request.requestID = id
        request.targetID = target
        request.increment = value
        request.note = note
        return request
    }

    public static func set(_ target: String, to value: String, id: String = UUID().uuidString,
                    expectedVersion: Int64 = 0, unit: String = "") -> Tally_V1_ReportTargetRequest {
        var request = Tally_V1_ReportTargetRequest()
        request.requestID = id
        request.targetID = target
        request.setValue = value
        request.expectedVersion = expectedVersion
        request.unit = unit
        return request
    }

    public static func project(_ project: String, stage: Tally_V1_Stage = .unspecified, investment: String = "",
                        percent: String = "", correction: Bool = false, reason: String = "",
                        id: String = UUID().uuidString) -> Tally_V1_ReportProjectRequest {
        var request = Tally_V1_ReportProjectRequest()
        request.requestID = id
        request.projectID = project
        request.stage = stage
        request.investmentCompleted = investment
        request.percent = percent
        request.correction = correction
        request.correctionReason = reason
        return request
    }
}
