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
/// It LISTENs on `tally_changes` (each commit notifies, while another server follows the log: see
/// below) and `tally_credentials` (revocations, with the credential id as payload), and after each
/// wake-up, or every half second regardless, reads the log after the last sequence it applied. A
/// missed notification therefore loses nothing, and after a database outage it reconnects by itself
/// and catches up.
///
/// Durability rule: writers commit a batch asynchronously and make it durable with a barrier
/// behind it (``Writer/batchStatements(_:commands:)``), so a batch is visible, and notified, a few
/// milliseconds before its WAL is flushed. The feed therefore publishes what it read only after a
/// durability barrier of its own (``TallyStore/PostgresConnection/awaitDurability()``): every
/// change it read was committed before the barrier's commit record, so once the barrier returns
/// those changes survive a crash. No watcher on any server sees a change a crash could take back.
///
/// Who is told: the feed names its connection (``applicationName``) and, every half second, looks
/// for another server's feed on the database (``othersFollow``). While there is none, this
/// server's writer commits without a notification (Schema/015): nobody would read it, and it costs
/// PostgreSQL and this feed a wake-up per batch. A server that starts meanwhile reads the log every
/// half second anyway, and is seen (and notified) within one such interval.
public final class ChangeFeed: Sendable {
    private let configuration: PostgresConfiguration
    private let hub: WatchHub
    private let totals: LiveTotals
    private let authenticator: Authenticator
    private let logger: Logger
    private let queue = DispatchQueue(label: "tally.change-feed")
    private let flags = Mutex((stopped: false, connected: false, othersFollow: true))
    /// When the feed's connection plans its read of the log again (``ReplanSchedule``).
    private let replan = Mutex(ReplanSchedule())

    /// The `application_name` of every server's change-feed connection, by which the feeds find
    /// each other in `pg_stat_activity`.
    public static let applicationName = "tally change feed"

    /// How often the feed reads the log regardless of notifications, and looks for other feeds.
    static let interval = Duration.milliseconds(500)

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

    /// Whether another server's feed follows the log on this database, so that this server's
    /// commits must notify it. True until the feed has looked, and whenever it cannot look.
    public var othersFollow: Bool { flags.withLock { $0.othersFollow } }

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
                    flags.withLock { flags in
                        flags.connected = false
                        flags.othersFollow = true  // unknown again: notify, to be safe
                    }
                }
                replan.withLock { $0.reset() }
                try connection.execute("SET application_name = '\(Self.applicationName)'")
                try connection.listen("tally_changes")
                try connection.listen("tally_credentials")
                flags.withLock { $0.connected = true }
                // Revocations may have been missed while disconnected: forget every revoked credential.
                let revoked = try connection.execute("SELECT id FROM credentials WHERE revoked_at IS NOT NULL")
                authenticator.evict(credentialIDs: Set(try revoked.rows.map { try $0.decode(String.self, at: 0) }))
                backoff = 0.05
                try lookForOtherFeeds(connection)
                try catchUp(connection)
                var lastCatchUp = ContinuousClock.now
                var lastLook = lastCatchUp
                while !isStopped {
                    let notifications = try connection.notifications(timeout: Self.interval)
                    let revokedNow = notifications.filter { $0.channel == "tally_credentials" }.map(\.payload)
                    authenticator.evict(credentialIDs: Set(revokedNow))
                    // This server's own commits reach the hub from its writer; read the log for the
                    // others', and at least every half second regardless (nothing is ever missed).
                    let own = localSenders()
                    let fromOthers = notifications.contains { $0.channel == "tally_changes" && !own.contains($0.senderPID) }
                    if fromOthers || ContinuousClock.now - lastCatchUp >= Self.interval {
                        if ContinuousClock.now - lastLook >= Self.interval {
                            try lookForOtherFeeds(connection)
                            lastLook = ContinuousClock.now
                        }
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

    /// Looks in `pg_stat_activity` (visible to every role) for another server's feed on this database.
    private func lookForOtherFeeds(_ connection: PostgresConnection) throws {
        let result = try connection.executePrepared("""
            SELECT EXISTS (SELECT 1 FROM pg_stat_activity
                            WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid())
            """, [.text(Self.applicationName)])
        noteOthersFollow(try result.rows.first?.decode(Bool.self, at: 0) ?? true)
    }

    private func noteOthersFollow(_ follow: Bool) {
        let changed = flags.withLock { flags in
            defer { flags.othersFollow = follow }
            return flags.othersFollow != follow
        }
        guard changed, !isStopped else { return }
        if follow {
            logger.info("another server follows the change log; this server's commits notify it")
        } else {
            logger.info("no other server follows the change log; this server commits without notifying")
        }
    }

    private func catchUp(_ connection: PostgresConnection) throws {
        defer {
            // Its read of the log planned again as the log grows (a plan made on a fresh database scans it whole).
            if replan.withLock({ $0.isDue(at: totals.sequence) }) { try? connection.discardPlans() }
        }
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
