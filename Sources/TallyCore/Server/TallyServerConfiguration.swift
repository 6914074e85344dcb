import Foundation
import TallyStore

/// How a Tally server runs: its database, where it listens, and the central office's tolerance.
public struct TallyServerConfiguration: Sendable {
    public var database: PostgresConfiguration
    /// Address to listen on; IPv4 or IPv6. Default 127.0.0.1.
    public var host: String = "127.0.0.1"
    /// Port to listen on; 0 picks a free one. Default 7411.
    public var port: Int = 7411
    /// Database connections for reads (dashboards come from memory; this serves history, auth misses).
    public var poolSize: Int = 4
    /// Percentage points below the elapsed fraction that still count as amber rather than red.
    public var tolerancePercent: Decimal = 10
    /// The instant dashboards are computed at when a request names none; nil means the wall clock.
    /// Useful to look at a past campaign as it stood on a given day.
    public var campaignClock: Date?
    /// How far in the future a report's `made_at` may lie, for clients whose clocks run a little ahead
    /// (SPEC.md 11, "Reports made earlier"). Default 5 minutes.
    public var madeAtClockSkew: TimeInterval = 300
    /// How long after its period's due day a report made in that period is still accepted when it
    /// arrives late (queued offline). The plan has no setting of its own for it. Default 7 days.
    public var lateDeliveryGrace: TimeInterval = 7 * 86_400
    /// Most connections at once.
    public var maxConnections: Int = 1024
    /// Changes one watcher may have queued before it is cut off with RESOURCE_EXHAUSTED.
    public var watcherCapacity: Int = 4_096
    /// Bytes waiting for one connection's socket above which its handlers wait (a watcher that reads
    /// too slowly then falls behind until it is cut off); they go on below a quarter of it.
    public var outboundBufferBytes: Int = 4 << 20
    /// Whether to load the 2023 plan into an empty database at start.
    public var seedEmptyDatabase: Bool = true
    /// Registers the benchmark-only methods (`/tally.bench.v1.Bench/*`, see `tally bench`). Off by default.
    public var enableBenchMethods: Bool = false

    public init(database: PostgresConfiguration) {
        self.database = database
    }
}
