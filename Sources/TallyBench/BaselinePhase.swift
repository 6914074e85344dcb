import Foundation
import Synchronization
import TallyCore
import TallyStore

/// The direct baselines: D threads, each with its own libpq connection, each doing one update per
/// transaction back to back for the phase's duration. No Tally in between.
///
/// - ``Kind/plainSQL``, **the honest baseline**: what a team would write without Tally, per update
///   `BEGIN; UPDATE targets SET current_figure = current_figure + $1, version = version + 1 WHERE
///   id = $2; INSERT INTO bench_update_log (request_id, target_id, amount) ...; COMMIT` (a log
///   table with a bigserial key and a unique request id), prepared statements.
/// - ``Kind/writerStatement``: Tally's own writer statement with ONE command per transaction (the
///   statements a lone department's report takes, ``LoneIncrement``, prepared): Tally without its
///   group commit, not an alternative anyone would write.
enum BaselinePhase {
    enum Kind: Sendable {
        case plainSQL, writerStatement
    }

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

    /// The log table of the plain-SQL baseline: a bigserial key and a unique request id.
    static func createLogTable(_ database: BenchDatabase) throws {
        let connection = try database.connect()
        defer { connection.close() }
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS bench_update_log (
                id          bigserial PRIMARY KEY,
                request_id  text NOT NULL UNIQUE,
                target_id   text NOT NULL,
                amount      numeric NOT NULL,
                logged_at   timestamptz NOT NULL DEFAULT now())
            """)
    }

    /// One update, one transaction.
    static func update(_ kind: Kind, _ connection: PostgresConnection, _ department: BenchPlan.Department) throws {
        switch kind {
        case .plainSQL:
            try connection.execute("BEGIN")
            do {
                let updated = try connection.executePrepared(
                    "UPDATE targets SET current_figure = current_figure + $1, version = version + 1 WHERE id = $2",
                    [.text("1"), .text(department.target)])
                guard updated.affectedRows == 1 else { throw BenchError("target \(department.target) was not updated") }
                try connection.executePrepared(
                    "INSERT INTO bench_update_log (request_id, target_id, amount) VALUES ($1, $2, $3)",
                    [.text(UUID().uuidString), .text(department.target), .text("1")])
                try connection.execute("COMMIT")
            } catch {
                _ = try? connection.execute("ROLLBACK")
                throw error
            }
        case .writerStatement:
            // As the writer sends them: one pipeline, one implicit transaction.
            let results = try connection.pipeline(
                LoneIncrement.statements(Data(BenchPlan.increment(department).utf8), notify: false))
            guard case .success(let answer)? = results.last, answer.rows.count == 1 else {
                throw BenchError("the lone statements did not take the increment: \(results)")
            }
        }
    }

    static func run(_ kind: Kind, plan: BenchPlan, database: BenchDatabase, duration: Double) async throws -> Result {
        if kind == .plainSQL { try createLogTable(database) }
        let cpuBefore = CPUAccount.now(postmaster: database.postmasterPID)
        let connections = try plan.departments.map { _ in try database.connect() }
        if kind == .writerStatement {
            for connection in connections { try LoneIncrement.prepare(on: connection) }
        }
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
                        try update(kind, connection, department)
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
        result.otherCPU = CPUAccount.now(postmaster: database.postmasterPID).since(cpuBefore, seconds: result.seconds,
                                                                                   updates: result.acknowledged)
        for connection in connections { connection.close() }
        return result
    }
}
