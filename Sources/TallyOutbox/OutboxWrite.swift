import Foundation
import SwiftProtobuf
import TallyClient
import TallyMessages

/// A write a department may queue: one of the Reporting calls that carry a `request_id`.
/// Stored as its protobuf bytes, so a delivery sends exactly what was queued.
public enum OutboxWrite: Sendable, Equatable {
    /// `Reporting/ReportTarget`: a target's figure set or incremented.
    case reportTarget(Tally_V1_ReportTargetRequest)
    /// `Reporting/ReportProject`: a project's stage, investment or percent.
    case reportProject(Tally_V1_ReportProjectRequest)
    /// `Reporting/RegisterProject`: a new project in one of the department's batches.
    case registerProject(Tally_V1_RegisterProjectRequest)
    /// `Reporting/SubmitPeriodReport`: many updates, applied all or none.
    case periodReport(Tally_V1_SubmitPeriodReportRequest)

    /// The method's name as the outbox file stores it.
    public var method: String {
        switch self {
        case .reportTarget: "ReportTarget"
        case .reportProject: "ReportProject"
        case .registerProject: "RegisterProject"
        case .periodReport: "SubmitPeriodReport"
        }
    }

    /// The request, whichever of the four writes it is.
    public var request: any ReportingWriteRequest {
        switch self {
        case .reportTarget(let request): request
        case .reportProject(let request): request
        case .registerProject(let request): request
        case .periodReport(let request): request
        }
    }

    /// The request id that makes every delivery after the first a recognised replay.
    public var requestID: String { request.requestID }

    /// What the write is about: a target or project id, a batch, or a period report's period.
    public var subject: String {
        switch self {
        case .reportTarget(let request): request.targetID
        case .reportProject(let request): request.projectID
        case .registerProject(let request): request.batchID + "/" + (request.projectID.isEmpty ? request.name : request.projectID)
        case .periodReport(let request): "\(request.period.isEmpty ? "period" : request.period) (\(request.updates.count))"
        }
    }

    /// The version the clerk expected (0: not checked).
    public var expectedVersion: Int64 {
        switch self {
        case .reportTarget(let request): request.expectedVersion
        case .reportProject(let request): request.expectedVersion
        case .registerProject, .periodReport: 0
        }
    }

    /// When the write was made (Unix ms), 0 when not yet stamped.
    public var madeAtUnixMs: Int64 { request.madeAtUnixMs }

    /// The same write stamped with the instant it was made, unless it carries one already.
    func stamped(_ unixMs: Int64) -> OutboxWrite {
        madeAtUnixMs == 0 ? withMadeAt(unixMs) : self
    }

    /// The same write without its made-at instant, which a retry of it is stamped with anew: what two
    /// sends of one request have in common. (The retry sends the stored write, first made-at included.)
    var madeAtCleared: OutboxWrite { withMadeAt(0) }

    /// The same write with `made_at_unix_ms` set to `unixMs`.
    private func withMadeAt(_ unixMs: Int64) -> OutboxWrite {
        switch self {
        case .reportTarget(var request): request.madeAtUnixMs = unixMs; return .reportTarget(request)
        case .reportProject(var request): request.madeAtUnixMs = unixMs; return .reportProject(request)
        case .registerProject(var request): request.madeAtUnixMs = unixMs; return .registerProject(request)
        case .periodReport(var request): request.madeAtUnixMs = unixMs; return .periodReport(request)
        }
    }

    /// The request's protobuf bytes.
    func serialized() throws -> Data {
        try request.serializedData()
    }

    /// Reads a stored write back; throws when the method is unknown or the bytes do not decode.
    init(method: String, body: Data) throws {
        switch method {
        case "ReportTarget": self = .reportTarget(try Tally_V1_ReportTargetRequest(serializedBytes: body))
        case "ReportProject": self = .reportProject(try Tally_V1_ReportProjectRequest(serializedBytes: body))
        case "RegisterProject": self = .registerProject(try Tally_V1_RegisterProjectRequest(serializedBytes: body))
        case "SubmitPeriodReport": self = .periodReport(try Tally_V1_SubmitPeriodReportRequest(serializedBytes: body))
        default: throw OutboxError("unknown method \"\(method)\" in the outbox file")
        }
    }

    /// Sends the write once.
    func send(_ client: TallyClient) async throws -> OutboxResponse {
        switch self {
        case .reportTarget(let request): .reportTarget(try await client.reportTarget(request))
        case .reportProject(let request): .reportProject(try await client.reportProject(request))
        case .registerProject(let request): .registerProject(try await client.registerProject(request))
        case .periodReport(let request): .periodReport(try await client.submitPeriodReport(request))
        }
    }
}

/// The server's answer to a delivered write.
public enum OutboxResponse: Sendable, Equatable {
    /// The target after the change.
    case reportTarget(Tally_V1_ReportTargetResponse)
    /// The project after the change.
    case reportProject(Tally_V1_ReportProjectResponse)
    /// The registered project.
    case registerProject(Tally_V1_RegisterProjectResponse)
    /// The targets and projects the period report changed.
    case periodReport(Tally_V1_SubmitPeriodReportResponse)

    /// The change-log sequence of the (last) change the write made.
    public var sequence: Int64 { receipt.sequence }

    /// True when the server had applied this request id before and answered with the stored outcome.
    public var replayed: Bool { receipt.replayed }

    /// What every answer says of the write, read once per kind of answer.
    private var receipt: (sequence: Int64, replayed: Bool) {
        switch self {
        case .reportTarget(let response): (response.sequence, response.replayed)
        case .reportProject(let response): (response.sequence, response.replayed)
        case .registerProject(let response): (response.sequence, response.replayed)
        case .periodReport(let response): (response.lastSequence, response.replayed)
        }
    }
}

extension OutboxResponse {
    /// The answer when the write was a ReportTarget.
    public var reportTarget: Tally_V1_ReportTargetResponse? {
        if case .reportTarget(let response) = self { response } else { nil }
    }

    /// The answer when the write was a ReportProject.
    public var reportProject: Tally_V1_ReportProjectResponse? {
        if case .reportProject(let response) = self { response } else { nil }
    }

    /// The answer when the write was a RegisterProject.
    public var registerProject: Tally_V1_RegisterProjectResponse? {
        if case .registerProject(let response) = self { response } else { nil }
    }

    /// The answer when the write was a SubmitPeriodReport.
    public var periodReport: Tally_V1_SubmitPeriodReportResponse? {
        if case .periodReport(let response) = self { response } else { nil }
    }
}
