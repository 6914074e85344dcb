import Logging
import TallyRPC
import TallyWire

extension Writer {
    /// Submits a command and logs one structured info line for it: who (credential id, role,
    /// department), what (operation and subject), the sequence it committed at, the status and the
    /// latency. Never the token: an envelope holds the credential's id only.
    func submit(_ command: WriteCommand, _ envelope: WriteCommand.Envelope, logging logger: Logger) async throws -> WriteOutcome {
        let started = ContinuousClock.now
        var metadata: Logger.Metadata = [
            "credential": "\(envelope.credential)", "role": "\(envelope.role)", "op": "\(command.op)",
        ]
        if let department = envelope.department { metadata["department"] = "\(department)" }
        switch command {
        case .reportTarget(let fields): metadata["subject"] = "\(fields.target_id)"
        case .reportProject(let fields): metadata["subject"] = "\(fields.project_id)"
        case .registerProject(let fields): metadata["subject"] = "\(fields.batch_id)"
        case .periodReport(let fields): metadata["updates"] = "\(fields.updates.count)"
        case .upsert(let fields): metadata["subject"] = "\(fields.entity_type)"
        case .dispatchCreate(let fields): metadata["departments"] = "\(fields.departments.count)"
        case .dispatchAnswer(let fields): metadata["subject"] = "\(fields.dispatch_id)"
        case .dispatchClose(let fields): metadata["subject"] = "\(fields.dispatch_id)"
        case .review(let fields): metadata["subject"] = "\(fields.report_id)"
        }
        do {
            let outcome = try await submit(command, envelope)
            if let sequence = outcome.last_sequence ?? outcome.sequence { metadata["sequence"] = "\(sequence)" }
            if outcome.replayed == true { metadata["replayed"] = "true" }
            let status: StatusCode
            do {
                _ = try outcome.get()
                status = .ok
            } catch {
                status = error.code
            }
            metadata["status"] = "\(status.name)"
            metadata["latency_ms"] = "\(Self.milliseconds(ContinuousClock.now - started))"
            logger.info("write", metadata: metadata)
            return outcome
        } catch {
            metadata["status"] = "\(StatusCode.of(error).name)"
            metadata["latency_ms"] = "\(Self.milliseconds(ContinuousClock.now - started))"
            logger.warning("write failed", metadata: metadata)
            throw error
        }
    }

    private static func milliseconds(_ duration: Duration) -> String {
        let micros = duration.nanoseconds / 1_000
        return "\(micros / 1_000).\(String(format: "%03d", Int(micros % 1_000)))"
    }
}
