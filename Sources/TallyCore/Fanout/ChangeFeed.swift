import Dispatch
import Foundation
import Synchronization
import Logging
import TallyStore

/// Follows the change log and feeds every committed change, from any server, to the totals and
/// watchers of this one. This server's own commits usually arrive first, straight from its writer;
/// the hub publishes each sequence once, so the feed matters for the other servers' commits (and
/// for anything the writer's hand-off missed).
///
/// It LISTENs on `tally_changes` (each commit notifies) and `tally_credentials` (revocations, with the
/// credential id as payload), and
/// after each wake-up, or every half second regardless, reads the log after the last sequence it
/// applied. A missed notification therefore loses nothing, and after a database outage it reconnects
/// by itself and catches up.
///
/// Durability rule: writers commit a batch asynchronously and make it durable with a barrier
/// behind it (``Writer/batchStatements(_:commands:)``), so a batch is visible, and notified, a few
/// milliseconds before its WAL is flushed. The feed therefore publishes what it read only after a
/// durability barrier of its own (``TallyStore/PostgresConnection/awaitDurability()``): every
/// change it read was committed before the barrier's commit record, so once the barrier returns
/// those changes survive a crash. No watcher on any server sees a change a crash could take back.
public final class ChangeFeed: Sendable {
    private let configuration: PostgresConfiguration
    private let hub: WatchHub
    private let totals: LiveTotals
    private let authenticator: Authenticator
    private let logger: Logger
    private let queue = DispatchQueue(label: "tally.change-feed")
    private let flags = Mutex((stopped: false, connected: false))

    /// Backend pids of this server's writer connections: their notifications need no log read.
    private let localSenders: @Sendable () -> Set<Int>

    init(configuration: PostgresConfiguration, hub: WatchHub, totals: LiveTotals,
         authenticator: Authenticator, localSenders: @escaping @Sendable () -> Set<Int> = { [] }, logger: Logger) {
        self.configuration = configuration
        self.localSenders = localSenders
        self.hub = hub
        self.totals = totals
        self.authenticator = authenticator
        self.logger = logger
    }

    /// Whether the feed currently holds its LISTEN connection.
    public var isConnected: Bool { flags.withLock { $0.connected } }

    func start() {
        queue.async { self.run() }
    }

    /// Stops following; returns once the loop has ended (within about half a second).
    func stop() {
        flags.withLock { $0.stopped = true }
        queue.sync {}
    }

    private var isStopped: Bool { flags.withLock { $0.stopped } }

    // Runs on `queue` until stopped.
    private func run() {
        var backoff = 0.05
        while !isStopped {
            do {
                let connection = try PostgresConnection(configuration: configuration)
                defer {
                    connection.close()
                    flags.withLock { $0.connected = false }
                }
                try connection.listen("tally_changes")
                try connection.listen("tally_credentials")
                flags.withLock { $0.connected = true }
                // Revocations may have been missed while disconnected: forget every revoked credential.
                let revoked = try connection.execute("SELECT id FROM credentials WHERE revoked_at IS NOT NULL")
                authenticator.evict(credentialIDs: Set(try revoked.rows.map { try $0.decode(String.self, at: 0) }))
                backoff = 0.05
                try catchUp(connection)
                var lastCatchUp = ContinuousClock.now
                while !isStopped {
                    let notifications = try connection.notifications(timeout: .milliseconds(500))
                    let revokedNow = notifications.filter { $0.channel == "tally_credentials" }.map(\.payload)
                    authenticator.evict(credentialIDs: Set(revokedNow))
                    // This server's own commits reach the hub from its writer; read the log for the
                    // others', and at least every half second regardless (nothing is ever missed).
                    let own = localSenders()
                    let fromOthers = notifications.contains { $0.channel == "tally_changes" && !own.contains($0.senderPID) }
                    if fromOthers || ContinuousClock.now - lastCatchUp >= .milliseconds(500) {
                        try catchUp(connection)
                        lastCatchUp = ContinuousClock.now
                    }
                }
            } catch {
                if isStopped { break }
                logger.warning("change feed lost the database; reconnecting", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: backoff)
                backoff = min(backoff * 2, 2)
            }
        }
    }

    private func catchUp(_ connection: PostgresConnection) throws {
        while true {
            let changes = try ChangeLogReader.read(connection, after: totals.sequence, limit: 1000)
            if !changes.isEmpty { try connection.awaitDurability() }
            do {
                try hub.publish(changes)
            } catch let error as PlanStateError {
                // Reading the same change again would fail the same way: reload the state instead.
                try reload(connection, after: error)
                continue
            }
            if changes.count < 1000 { return }
        }
    }

    /// A change the in-memory state cannot apply (an entity it cannot read, a field it does not
    /// know, a gap): rebuild the state from the tables, and announce the changes it now includes.
    private func reload(_ connection: PostgresConnection, after error: PlanStateError) throws {
        let from = totals.sequence
        logger.error("change feed cannot apply change \(from + 1); reloading the plan state from the database",
                     metadata: ["error": "\(error)"])
        let fresh = try PlanState.load(connection)
        let skipped = fresh.sequence > from
            ? try ChangeLogReader.read(connection, range: (from + 1)...fresh.sequence) : []
        try connection.awaitDurability()  // the reloaded state may hold commits not yet flushed
        try hub.reload(fresh, announcing: skipped)
    }
}
