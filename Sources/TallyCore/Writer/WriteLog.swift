import Logging
import TallyWire

extension Writer {
    /// Submits a command and logs one structured info line for it: who (credential id, role,
    /// department), what (operation and subject), the sequence it committed at, the status and the
    /// latency. Never the token: a command holds the credential's id only.
    func submit(_ command: WriteCommand, logging logger: Logger) async throws -> WriteOutcome {
        let started = ContinuousClock.now
        var metadata: Logger.Metadata = [
            "credential": "\(command.credential)", "role": "\(command.role)", "op": "\(command.op)",
        ]
        if let department = command.department { metadata["department"] = "\(department)" }
        if let subject = command.target_id ?? command.project_id ?? command.entity_type { metadata["subject"] = "\(subject)" }
        if let updates = command.updates { metadata["updates"] = "\(updates.count)" }
        do {
            let outcome = try await submit(command)
            if let sequence = outcome.last_sequence ?? outcome.sequence { metadata["sequence"] = "\(sequence)" }
            if outcome.replayed == true { metadata["replayed"] = "true" }
            metadata["status"] = "\(StatusCode(rawValue: outcome.status).name)"
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
