import Foundation
import TallyRPC
import TallyStore

/// TLS settings of the server (certificate chain, key, optional client CA), from the RPC layer.
public typealias TLSServerConfiguration = TallyRPC.TLSServerConfiguration

/// How a Tally server runs: its database, where it listens, and the central office's tolerance.
public struct TallyServerConfiguration: Sendable {
    /// The database as the runtime role (or the single role that also migrates, without `owner`).
    public var database: PostgresConfiguration
    /// The owner role that runs migrations, seeds an empty database and grants `database`'s role its
    /// runtime privileges at start (the embedded default); nil migrates as `database`'s role.
    public var owner: PostgresConfiguration?
    /// Address to listen on; IPv4 or IPv6. Default 127.0.0.1.
    public var host: String = "127.0.0.1"
    /// Port to listen on; 0 picks a free one. Default 7411.
    public var port: Int = 7411
    /// Database connections for reads (dashboards come from memory; this serves history, auth misses).
    public var poolSize: Int = 4
    /// Percentage points below the elapsed fraction that still count as amber rather than red.
    public var tolerancePercent: Decimal = 10
    /// Thresholds of the early warnings (预警): `tally serve --warn-*`; SPEC.md 11, "Early warning, forecast and ranking".
    public var warningRules = WarningRules()
    /// Seconds between checks of the warnings that time alone can start or end (a due day passing);
    /// a change and a move of the pinned clock check at once. Default 30.
    public var warningCheckInterval: TimeInterval = 30
    /// For demos and tests only: the server's "now", pinned. Reports that name no period count for
    /// this instant's month (CST) and dashboards that name no `as_of` are computed at it. nil (the
    /// default) is the wall clock: a report counts for the CST month in which the server accepts it.
    /// A view of a past date is a dashboard's `as_of`, never this.
    public var pinnedNow: Date?
    /// How far in the future a report's `made_at` may lie, for clients whose clocks run a little ahead
    /// (SPEC.md 11, "Reports made earlier"). Default 5 minutes.
    public var madeAtClockSkew: TimeInterval = 300
    /// How long after its period's due day a report made in that period is still accepted when it
    /// arrives late (queued offline). The plan has no setting of its own for it. Default 7 days.
    public var lateDeliveryGrace: TimeInterval = 7 * 86_400
    /// Most connections at once.
    public var maxConnections: Int = 1024
    /// Open RPC connections above which a warning is logged; nil: 80 % of `maxConnections`.
    public var connectionWarningThreshold: Int?
    /// Changes one watcher may have queued before it is cut off with RESOURCE_EXHAUSTED.
    public var watcherCapacity: Int = 4_096
    /// Bytes waiting for one connection's socket above which its handlers wait (a watcher that reads
    /// too slowly then falls behind until it is cut off); they go on below a quarter of it.
    public var outboundBufferBytes: Int = 4 << 20
    /// Whether to load the 2023 plan into an empty database at start.
    public var seedEmptyDatabase: Bool = true
    /// TLS on the RPC listener; nil serves plaintext (allowed on loopback only unless
    /// `allowsPlaintextBeyondLoopback`).
    public var tls: TLSServerConfiguration?
    /// Serve plaintext on a non-loopback address (`--insecure-plaintext`); said at start and in
    /// every Health/Check answer's metadata.
    public var allowsPlaintextBeyondLoopback: Bool = false
    /// Registers the benchmark-only methods (`/tally.bench.v1.Bench/*`, see `tally bench`). Off by default.
    public var enableBenchMethods: Bool = false

    public init(database: PostgresConfiguration) {
        self.database = database
    }
}
