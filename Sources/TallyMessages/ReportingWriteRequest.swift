import SwiftProtobuf

/// A Reporting request that writes: it carries the client's request id, by which the server
/// recognises a retry, and the instant it was made, which a report queued offline keeps until it
/// is delivered. The client's outbox and the server's Reporting service both read these two fields
/// through this protocol, whichever of the four writes it is.
public protocol ReportingWriteRequest: SwiftProtobuf.Message {
    var requestID: String { get set }
    var madeAtUnixMs: Int64 { get set }
}

extension Tally_V1_ReportTargetRequest: ReportingWriteRequest {}
extension Tally_V1_ReportProjectRequest: ReportingWriteRequest {}
extension Tally_V1_RegisterProjectRequest: ReportingWriteRequest {}
extension Tally_V1_SubmitPeriodReportRequest: ReportingWriteRequest {}
