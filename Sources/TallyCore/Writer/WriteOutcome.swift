import Foundation
import TallyWire

/// What `tally_apply_batch` answered for one command: success with its records, or a failure with
/// Tally's error code (a SQLSTATE, see Schema/003) that ``StatusMapping/writeStatus(_:)`` maps.
struct WriteOutcome: Decodable, Sendable {
    var error: String?
    var message: String?
    var metadata: [String: String]?
    var sequence: Int64?
    var first_sequence: Int64?
    var last_sequence: Int64?
    var replayed: Bool?
    var target: TargetRecord?
    /// The answer left its target out: it is the entity of the change at `sequence`, which the
    /// writer read back anyway and parses once for both (Schema/012, `tally_apply_batch`).
    var target_logged: Bool?
    var project: ProjectRecord?
    var targets: [TargetRecord]?
    var projects: [ProjectRecord]?
    var batch: BatchRecord?
    var department: DepartmentRecord?
    var line: LineRecord?
    /// The office's records (Schema/007).
    var dispatch: DispatchRecord?
    var report: PeriodReportRecord?

    /// The record an upsert wrote, or INTERNAL when the answer lacks it.
    func required<Record>(_ keyPath: KeyPath<WriteOutcome, Record?>) throws(RPCError) -> Record {
        guard let record = self[keyPath: keyPath] else {
            throw RPCError(.internalError, "the writer's answer lacks the written record")
        }
        return record
    }

    /// Throws the command's failure as an RPCError; returns self when it succeeded.
    func get() throws(RPCError) -> WriteOutcome {
        guard let error else { return self }
        throw StatusMapping.writeFailure(error, message ?? "write failed", metadata: metadata ?? [:])
    }
}
