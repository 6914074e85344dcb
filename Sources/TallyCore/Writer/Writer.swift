import Dispatch
import Foundation
import Logging
import TallyStore
import TallyWire

/// The single funnel for every write: collects commands from all departments' calls and commits
/// them together (group commit) as one `SELECT tally_apply_batch($1)` - one statement, one
/// transaction, one fsync for the whole batch. Each command is acknowledged only after the commit
/// that holds it; a bad command fails alone (the SQL runs each in a subtransaction).
///
/// While a batch commits, new commands queue up and form the next batch, so batches grow with load
/// and a lone command is committed at once.
public final class Writer: @unchecked Sendable {
    private typealias Waiter = (json: Data, continuation: CheckedContinuation<WriteOutcome, any Error>)

    private let configuration: PostgresConfiguration
    private let logger: Logger
    private let queue = DispatchQueue(label: "tally.writer")
    private let lock = NSLock()
    // Guarded by `lock`.
    private var pending: [Waiter] = []
    // Guarded by `lock`: true while a commit loop runs on `queue`.
    private var committing = false
    // Used only on `queue`.
    private var connection: PostgresConnection?

    /// Most commands in one transaction.
    let maxBatch: Int

    /// Statistics for `tally bench`: batches committed and commands in them. Guarded by `lock`.
    private var batches = 0
    private var commands = 0
    // Guarded by `lock`: the highest change-log sequence this writer has acknowledged.
    private var acknowledged: Int64 = 0

    public init(configuration: PostgresConfiguration, maxBatch: Int = 512, logger: Logger) {
        self.configuration = configuration
        self.maxBatch = maxBatch
        self.logger = logger
    }

    /// Batches committed and commands they held, since start.
    public var statistics: (batches: Int, commands: Int) { lock.withLock { (batches, commands) } }

    /// The highest change-log sequence acknowledged through this writer, so that reads on this server
    /// can wait for the totals to include every write it acknowledged (read-your-writes).
    var lastAcknowledgedSequence: Int64 { lock.withLock { acknowledged } }

    /// Queues a command and waits for the commit that holds it.
    func submit(_ command: WriteCommand) async throws -> WriteOutcome {
        let json: Data
        do {
            json = try JSONEncoder().encode(command)
        } catch {
            throw RPCError(.internalError, "cannot encode command: \(error)")
        }
        return try await withCheckedThrowingContinuation { continuation in
            let start: Bool = lock.withLock {
                pending.append((json, continuation))
                if committing { return false }
                committing = true
                return true
            }
            if start { queue.async { self.commitLoop() } }
        }
    }

    /// Commits batches until nothing is pending. Runs on `queue` only.
    private func commitLoop() {
        while true {
            let batch: [Waiter] = lock.withLock {
                let taken = Array(pending.prefix(maxBatch))
                pending.removeFirst(taken.count)
                if taken.isEmpty { committing = false }
                return taken
            }
            if batch.isEmpty { return }
            commit(batch)
        }
    }

    private func commit(_ batch: [Waiter]) {
        var payload = Data("[".utf8)
        for (index, waiter) in batch.enumerated() {
            if index > 0 { payload.append(UInt8(ascii: ",")) }
            payload.append(waiter.json)
        }
        payload.append(UInt8(ascii: "]"))
        let text = String(decoding: payload, as: UTF8.self)
        do {
            let connection = try connected()
            let result = try connection.executePrepared("SELECT tally_apply_batch($1::jsonb)", [.text(text)])
            guard let row = result.rows.first else {
                throw RPCError(.internalError, "tally_apply_batch returned no row")
            }
            let json = try row.decode(String.self, at: 0)
            let outcomes = try JSONDecoder().decode([WriteOutcome].self, from: Data(json.utf8))
            guard outcomes.count == batch.count else {
                throw RPCError(.internalError, "tally_apply_batch answered \(outcomes.count) results for \(batch.count) commands")
            }
            let highest = outcomes.compactMap { $0.last_sequence ?? $0.sequence }.max() ?? 0
            lock.withLock {
                batches += 1
                commands += batch.count
                acknowledged = max(acknowledged, highest)
            }
            for (waiter, outcome) in zip(batch, outcomes) { waiter.continuation.resume(returning: outcome) }
        } catch {
            if let storeError = error as? StoreError, storeError.isRetryable || storeError.kind == .connectionLost {
                self.connection?.close()
                self.connection = nil
            }
            let status = StatusMapping.rpcError(error)
            logger.warning("batch of \(batch.count) commands failed", metadata: ["error": "\(status)"])
            for waiter in batch { waiter.continuation.resume(throwing: status) }
        }
    }

    /// The writer's connection; one that died while idle (a restart, a failover) is replaced before
    /// the batch is sent, so the batch is not failed for it.
    private func connected() throws -> PostgresConnection {
        if let connection, connection.isHealthy, connection.isAliveWhileIdle() { return connection }
        connection?.close()
        let fresh = try PostgresConnection(configuration: configuration)
        connection = fresh
        return fresh
    }

    /// Closes the writer's database connection (after the server stopped accepting calls).
    public func close() {
        queue.sync {
            connection?.close()
            connection = nil
        }
    }
}
