import Dispatch
import Foundation
import Synchronization
import Logging
import TallyStore
import TallyWire

/// The single funnel for every write: collects commands from all departments' calls and commits
/// them together (group commit) as one `SELECT tally_apply_batch($1)` - one statement, one
/// transaction for the whole batch (a lone plain increment by ``LoneIncrement``'s two statements).
/// Each command is acknowledged only after the commit that holds it is durable (flushed, or as the
/// database's `synchronous_commit` says); a bad command fails alone (plain increments are applied
/// set-based, every other command in its own subtransaction; Schema/003).
///
/// Several servers share one database without deadlocks: every batch locks the change-log head
/// first, so no two batches wait on each other's rows (its plain increments' target rows are then
/// locked in id order, in the subtransaction that updates them: Schema/014). A deadlock or
/// serialization failure that still happens (with a transaction outside Tally) rolls the whole
/// batch back and the writer runs it again; SQLSTATE 40P01/40001 never reach a caller.
///
/// The batch's changes are read back in the same round trip and handed to this server's watchers
/// (``onCommit(_:)``) without waiting for the change feed.
///
/// While a batch commits, new commands queue up and form the next batch, so batches grow with load
/// and a lone command is committed at once. A batch holds the log head only until its commit record
/// is written (it commits asynchronously and is made durable by a barrier behind it,
/// ``batchStatements(_:commands:)``), so the writer can run several lanes (connections), each running its
/// batch while another waits for the WAL flush; it runs one by default (``defaultLanes``), which
/// makes bigger batches and measured faster.
public final class Writer: Sendable {
    /// A queued command: its JSON object, whether it may go ``LoneIncrement``'s way when alone, and its caller.
    private typealias Waiter = (json: Data, lone: Bool, continuation: CheckedContinuation<WriteOutcome, any Error>)

    /// One connection and the serial queue that alone uses it (@unchecked Sendable: `connection`
    /// is touched on `queue` only).
    private final class Lane: @unchecked Sendable {
        let index: Int
        let queue: DispatchQueue
        // Used only on `queue`.
        var connection: PostgresConnection?
        /// When the connection's plans are made again as the change log grows.
        var replan = ReplanSchedule()

        init(index: Int) {
            self.index = index
            queue = DispatchQueue(label: "tally.writer.\(index)")
        }
    }

    private let configuration: PostgresConfiguration
    private let logger: Logger
    private let lanes: [Lane]
    /// What the callers and the lanes share, under one lock.
    private struct State {
        var pending: [Waiter] = []
        /// Lanes with no commit loop running.
        var idleLanes: [Int]
        /// Statistics for `tally bench`: batches committed and commands in them.
        var batches = 0
        var commands = 0
        /// The highest change-log sequence this writer has acknowledged.
        var acknowledged: Int64 = 0
        /// Backend pids of the lanes' connections.
        var pids: [Int: Int] = [:]
        /// Where committed changes go (this server's watch hub), if anywhere.
        var committed: (@Sendable ([ChangeRecord]) -> Void)?
        /// Whether another server follows the log, so that commits must notify it (unset: always).
        var othersFollow: (@Sendable () -> Bool)?
    }

    private let state: Mutex<State>

    /// Most commands in one transaction.
    let maxBatch: Int

    /// Lanes (connections) the writer commits on. A batch holds the log head only while it runs
    /// and waits for the WAL flush afterwards, so a second lane could run its batch during the first
    /// one's flush; but more lanes make smaller batches, and a batch's fixed costs (statements, the
    /// barrier, the fan-out to every watcher) then weigh on every update. With the leaner batch
    /// statement of Schema/012, on an idle 2-core machine (BENCHMARKS.md, "Write path v4"), 1 lane
    /// gave 6,497 and 6,638 updates/s (28-29 commands per commit) against 5,805 and 5,578 with 2
    /// lanes (18-19 per commit).
    public static let defaultLanes = 1

    public init(configuration: PostgresConfiguration, maxBatch: Int = 512, lanes: Int = Writer.defaultLanes, logger: Logger) {
        self.configuration = configuration
        self.maxBatch = maxBatch
        self.logger = logger
        self.lanes = (0..<max(lanes, 1)).map(Lane.init)
        state = Mutex(State(idleLanes: Array(self.lanes.indices.reversed())))
    }

    /// Hands every batch's committed changes to `sink`, called on the lane that committed them after
    /// the batch's callers were answered (two lanes may call it out of order; it must not block).
    func onCommit(_ sink: @escaping @Sendable ([ChangeRecord]) -> Void) {
        state.withLock { $0.committed = sink }
    }

    /// Commits notify other servers (NOTIFY tally_changes) only while `othersFollow` says one follows
    /// the log (this server's change feed knows); otherwise they commit quietly (Schema/015).
    func notifyOnlyWhile(_ othersFollow: @escaping @Sendable () -> Bool) {
        state.withLock { $0.othersFollow = othersFollow }
    }

    /// The PostgreSQL backend pids of the writer's connections (senders of its commits' notifications).
    var backendPIDs: Set<Int> { state.withLock { Set($0.pids.values) } }

    /// Batches committed and commands they held, since start.
    public var statistics: (batches: Int, commands: Int) { state.withLock { ($0.batches, $0.commands) } }

    /// The highest change-log sequence acknowledged through this writer, so that reads on this server
    /// can wait for the totals to include every write it acknowledged (read-your-writes).
    var lastAcknowledgedSequence: Int64 { state.withLock { $0.acknowledged } }

    /// Queues a command and waits for the commit that holds it.
    func submit(_ command: WriteCommand, _ envelope: WriteCommand.Envelope) async throws -> WriteOutcome {
        let json: Data
        do {
            json = try WriteCommand.Sent(envelope: envelope, command: command).json()
        } catch {
            throw RPCError(.internalError, "internal error", cause: error)
        }
        let lone = LoneIncrement.mayApply(command, envelope)
        return try await withCheckedThrowingContinuation { continuation in
            let lanes = self.lanes
            let lane: Lane? = state.withLock { state in
                state.pending.append((json, lone, continuation))
                return state.idleLanes.popLast().map { lanes[$0] }
            }
            if let lane { lane.queue.async { self.commitLoop(lane) } }
        }
    }

    /// Commits batches until nothing is pending. Runs on `lane.queue` only.
    private func commitLoop(_ lane: Lane) {
        while true {
            let maxBatch = self.maxBatch
            let batch: [Waiter] = state.withLock { state in
                let taken = Array(state.pending.prefix(maxBatch))
                state.pending.removeFirst(taken.count)
                if taken.isEmpty { state.idleLanes.append(lane.index) }
                return taken
            }
            if batch.isEmpty { return }
            commit(batch, on: lane)
        }
    }

    /// Most times a batch is tried again after a deadlock or serialization failure.
    static let maxConflictRetries = 20

    private func commit(_ batch: [Waiter], on lane: Lane) {
        let started = ContinuousClock.now
        defer { WriterMetrics.batch(size: batch.count, duration: ContinuousClock.now - started) }
        var payload = Data("[".utf8)
        for (index, waiter) in batch.enumerated() {
            if index > 0 { payload.append(UInt8(ascii: ",")) }
            payload.append(waiter.json)
        }
        payload.append(UInt8(ascii: "]"))
        let text = String(decoding: payload, as: UTF8.self)
        let othersFollow = state.withLock { $0.othersFollow }
        var attempt = 0
        while true {
            do {
                let quietly = othersFollow.map { !$0() } ?? false
                let lone = batch.count == 1 && batch[0].lone && attempt == 0
                    ? try applyLone(batch[0].json, quietly: quietly, on: lane) : nil
                let (outcomes, changes) = try lone ?? apply(text, count: batch.count, quietly: quietly, on: lane)
                let highest = outcomes.compactMap { $0.last_sequence ?? $0.sequence }.max() ?? 0
                let sink = state.withLock { state in
                    state.batches += 1
                    state.commands += batch.count
                    state.acknowledged = max(state.acknowledged, highest)
                    return state.committed
                }
                for (waiter, outcome) in zip(batch, outcomes) { waiter.continuation.resume(returning: outcome) }
                if !changes.isEmpty, let sink { sink(changes) }
                replanIfGrown(lane, at: highest)
                return
            } catch let error as StoreError where error.isConflict && attempt < Self.maxConflictRetries {
                // Nothing of the batch committed: run it again (each command sees the rows anew).
                attempt += 1
                logger.info("batch of \(batch.count) commands hit a conflict; retrying",
                            metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                Thread.sleep(forTimeInterval: Double.random(in: 0...0.002) * Double(attempt))
            } catch {
                if let storeError = error as? StoreError, storeError.isRetryable || storeError.kind == .connectionLost {
                    lane.connection?.close()
                    lane.connection = nil
                }
                let status = StatusMapping.rpcError(error)
                logger.warning("batch of \(batch.count) commands failed", metadata: ["error": "\(status)"])
                for waiter in batch { waiter.continuation.resume(throwing: status) }
                return
            }
        }
    }

    /// Has the lane's connection plan its statements again as the change log grows
    /// (``ReplanSchedule``): on `tally bench`'s fresh cluster, plans made while `change_log` and
    /// `requests` held a few rows cost 400 µs of PostgreSQL time per update instead of 200
    /// (BENCHMARKS.md, "Write path v12").
    private func replanIfGrown(_ lane: Lane, at sequence: Int64) {
        guard sequence > 0, lane.replan.isDue(at: sequence), let connection = lane.connection else { return }
        do {
            try connection.discardPlans()
        } catch {
            logger.warning("could not have the writer's statements planned again", metadata: ["error": "\(error)"])
        }
    }

    /// Batches of at most this many commands commit synchronously, without a barrier
    /// (``batchStatements(_:commands:)``).
    static let synchronousBatchLimit = 2

    /// The names the batch statement (with and without its notification) and the read of its
    /// changes are prepared under, per connection.
    static let applyStatement = "tally_apply"
    static let quietApplyStatement = "tally_apply_quietly"
    static let changesStatement = "tally_batch_changes"

    /// Prepares the batch's statements on a new lane connection: parsed and planned once per
    /// connection, not once per batch.
    static func prepareStatements(on connection: PostgresConnection) throws {
        try connection.execute("PREPARE \(applyStatement)(jsonb) AS SELECT tally_apply_batch($1)")
        try connection.execute("PREPARE \(quietApplyStatement)(jsonb) AS SELECT tally_apply_batch_quietly($1)")
        try connection.execute("PREPARE \(changesStatement) AS " + ChangeLogReader.batchChanges)
        try LoneIncrement.prepare(on: connection)
    }

    /// A lone command by ``LoneIncrement``'s statements, in a transaction of their own (committed
    /// with the database's `synchronous_commit`, so durable when it returns); nil when they did not
    /// take it (nothing written), and then the batch function's way follows.
    private func applyLone(_ json: Data, quietly: Bool, on lane: Lane) throws
        -> (outcomes: [WriteOutcome], changes: [ChangeRecord])?
    {
        let connection = try connected(lane)
        let results = try connection.pipeline(LoneIncrement.statements(json, notify: !quietly))
        guard results.count == 2 else { return nil }
        let rows: [Row]
        switch (results[0], results[1]) {
        case (.success, .success(let answer)):
            rows = answer.rows
        case (.failure(let error), _), (_, .failure(let error)):
            // A request id committed meanwhile elsewhere, a figure changed outside Tally, a lost
            // deadlock: rolled back whole; the batch function's way sees the rows anew and answers.
            guard error.kind == .query else { throw error }
            return nil
        }
        guard rows.count == 1 else { return nil }
        var changes = try rows.map(ChangeLogReader.record)
        var outcomes = [WriteOutcome(sequence: changes[0].sequence, replayed: false, target_logged: true)]
        Self.shareTargets(&changes, with: &outcomes)
        return (outcomes, changes)
    }

    /// What the writer sends for one batch, in one round trip (libpq pipeline mode): the batch in
    /// a transaction that commits asynchronously, so COMMIT releases the change-log head as soon as
    /// its commit record is in the WAL, without waiting for the flush (the next batch, on another
    /// lane or another server, takes the head at once); then a durability barrier, which commits with
    /// the database's `synchronous_commit` and so returns only once the WAL is flushed up to its own
    /// commit record, after the batch's. Only then are callers answered and watchers told. Commits
    /// keep the log's order (the head), durability stays prefix-closed in that order (WAL is flushed
    /// in order), and the lanes' barriers share flushes: one fsync covers several batches.
    ///
    /// A small batch (at most ``synchronousBatchLimit`` commands: light load, where nobody queues
    /// behind the head) commits with the database's `synchronous_commit` instead and needs no
    /// barrier: one transaction less on a lone department's path. Its transaction always wrote WAL
    /// (locking the head row is logged), so its commit waits for the flush up to its own commit
    /// record, which covers every commit before it, a replayed outcome's included.
    ///
    /// Both forms begin the same way, so the batch statement's answer and the changes it logged are
    /// always results 1 and 2 (`SET LOCAL synchronous_commit` only matters at COMMIT, so it comes
    /// just before it). `quietly` leaves the commit's notification out (no other server follows).
    static func batchStatements(_ json: String, commands: Int, quietly: Bool = false) -> [Statement] {
        let batch = [
            Statement("BEGIN"),
            Statement.prepared(quietly ? quietApplyStatement : applyStatement, [.text(json)]),
            Statement.prepared(changesStatement),
        ]
        if commands <= synchronousBatchLimit { return batch + [Statement("COMMIT")] }
        return batch + [
            Statement("SET LOCAL synchronous_commit TO off"),
            Statement("COMMIT"),
            PostgresConnection.durabilityBarrier,
        ]
    }

    /// One try of a batch: one round trip (``batchStatements(_:commands:)``): the batch statement and the
    /// read of the changes it logged (for this server's watchers), its commit, the barrier.
    private func apply(_ text: String, count: Int, quietly: Bool, on lane: Lane) throws
        -> (outcomes: [WriteOutcome], changes: [ChangeRecord])
    {
        let connection = try connected(lane)
        let statements = Self.batchStatements(text, commands: count, quietly: quietly)
        let results = try connection.pipeline(statements)
        guard results.count == statements.count else {
            throw RPCError(.internalError, "the writer's pipeline answered \(results.count) results")
        }
        // The first failure is the cause (every later statement reports "not executed").
        for result in results { _ = try result.get() }
        guard let row = try results[1].get().rows.first else {
            throw RPCError(.internalError, "tally_apply_batch returned no row")
        }
        let json = try row.decode(String.self, at: 0)
        var outcomes = try WriteOutcome.flatOutcomes(json) ?? JSONDecoder().decode([WriteOutcome].self, from: Data(json.utf8))
        guard outcomes.count == count else {
            throw RPCError(.internalError, "tally_apply_batch answered \(outcomes.count) results for \(count) commands")
        }
        var changes = try results[2].get().rows.map(ChangeLogReader.record)
        Self.shareTargets(&changes, with: &outcomes)
        return (outcomes, changes)
    }

    /// Parses each changed target once, for both readers: the change (the totals apply it) and the
    /// command's answer, which `tally_apply_batch` (Schema/012) sends without the target it
    /// logged (a replay's answer keeps its own).
    /// (A change whose entity does not parse is left to the totals, which report it and reload.)
    private static func shareTargets(_ changes: inout [ChangeRecord], with outcomes: inout [WriteOutcome]) {
        var targets: [Int64: TargetRecord] = [:]
        for index in changes.indices {
            let change = changes[index]
            guard change.kind == .target || (change.kind == .plan && change.field == PlanField.target.rawValue),
                  let target = try? change.decodeTarget() else { continue }
            changes[index].parsedTarget = .init(target)
            targets[change.sequence] = target
        }
        for index in outcomes.indices where outcomes[index].target_logged == true {
            if let sequence = outcomes[index].sequence { outcomes[index].target = targets[sequence] }
        }
    }

    /// The lane's connection; one that died while idle (a restart, a failover) is replaced before
    /// the batch is sent, so the batch is not failed for it.
    private func connected(_ lane: Lane) throws -> PostgresConnection {
        if let connection = lane.connection, connection.isHealthy, connection.isAliveWhileIdle() { return connection }
        lane.connection?.close()
        let fresh = try PostgresConnection(configuration: configuration)
        do {
            try Self.prepareStatements(on: fresh)
        } catch {
            fresh.close()
            throw error
        }
        lane.connection = fresh
        lane.replan.reset()
        let pid = fresh.backendPID
        state.withLock { $0.pids[lane.index] = pid }
        return fresh
    }

    /// Closes the writer's database connections (after the server stopped accepting calls).
    public func close() {
        for lane in lanes {
            lane.queue.sync {
                lane.connection?.close()
                lane.connection = nil
            }
        }
    }
}

extension StoreError {
    /// A deadlock or serialization failure: the transaction was rolled back whole and may simply run again.
    var isConflict: Bool {
        kind == .query && (sqlState == .deadlockDetected || sqlState == .serializationFailure)
    }
}
