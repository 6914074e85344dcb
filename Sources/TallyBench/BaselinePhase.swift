import Foundation
import Synchronization
import TallyStore

/// The direct baseline: D threads, each with its own libpq connection, each sending the writer's
/// statement with ONE command per transaction (`SELECT tally_apply_batch($1::jsonb)` with a
/// one-element array) back to back for the phase's duration. No Tally in between.
enum BaselinePhase {
    struct Result: Sendable {
        var acknowledged: Int
        var failures: Int
        var firstFailure: String?
        var seconds: Double
        var latency: Latency
        var perTarget: [String: Int]
        /// CPU of the load generator and PostgreSQL during the phase (read before the connections close).
        var otherCPU = ""

        var rate: Double { Double(acknowledged) / seconds }
    }

    /// What the load threads add up.
    private final class Collector: Sendable {
        let result = Mutex(Result(acknowledged: 0, failures: 0, seconds: 0, latency: Latency(), perTarget: [:]))
    }

    static func run(plan: BenchPlan, database: BenchDatabase, duration: Double) async throws -> Result {
        let cpuBefore = CPUAccount.now(postmaster: database.postmasterPID)
        let connections = try plan.departments.map { _ in try database.connect() }
        let collector = Collector()
        let group = DispatchGroup()
        let start = Monotonic.nanos()
        let deadline = start + UInt64(duration * 1e9)
        for (department, connection) in zip(plan.departments, connections) {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                var latency = Latency()
                var acknowledged = 0, failures = 0
                var firstFailure: String?
                while Monotonic.nanos() < deadline {
                    let begin = Monotonic.nanos()
                    do {
                        let result = try connection.executePrepared(
                            "SELECT tally_apply_batch($1::jsonb)::text", [.text(BenchPlan.incrementBatch(department))])
                        let text = try result.rows.first?.decode(String.self, at: 0) ?? ""
                        guard text.contains("\"status\": 0") else { throw BenchError("command failed: \(text.prefix(200))") }
                        latency.record(nanos: Monotonic.nanos() - begin)
                        acknowledged += 1
                    } catch {
                        failures += 1
                        if firstFailure == nil { firstFailure = "\(error)" }
                        if !connection.isHealthy { break }
                    }
                }
                collector.result.withLock { result in
                    result.acknowledged += acknowledged
                    result.failures += failures
                    result.firstFailure = result.firstFailure ?? firstFailure
                    result.latency.merge(latency)
                    result.perTarget[department.target, default: 0] += acknowledged
                }
            }
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            group.notify(queue: .global()) { continuation.resume() }
        }
        var result = collector.result.withLock { $0 }
        result.seconds = Double(Monotonic.nanos() - start) / 1e9
        // PostgreSQL's backends take their CPU time with them when they exit: read it first.
        result.otherCPU = CPUAccount.now(postmaster: database.postmasterPID).since(cpuBefore, seconds: result.seconds)
        for connection in connections { connection.close() }
        return result
    }
}
