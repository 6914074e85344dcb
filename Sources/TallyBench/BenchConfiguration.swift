/// What one `tally bench` run measures and against what.
public struct BenchConfiguration: Sendable {
    /// Which measurements to run.
    public enum Mode: String, Sendable, CaseIterable {
        case updates, ping, stream, idle, all
    }

    public var mode: Mode = .all
    /// Length of each timed phase, in seconds.
    public var duration: Double = 10
    /// Department connections submitting increments back to back (updates mode and the baseline).
    public var departments: Int = 64
    /// Central-office watchers receiving every change (updates mode).
    public var watchers: Int = 20
    /// Concurrent Health/Check callers, one connection each (ping mode; a 1-caller run is added).
    public var callers: Int = 64
    /// Idle connections held open (idle mode).
    public var connections: Int = 1000
    /// Messages the fast watcher receives (stream mode).
    public var streamMessages: Int = 3_000_000
    /// Seconds the slow reader keeps reading slowly (stream mode).
    public var slowReaderSeconds: Double = 5
    /// PostgreSQL to use (libpq URL or key=value); nil creates a throwaway cluster.
    public var database: String?
    /// A running server ("host:port") to target instead of starting one; needs `database` for set-up and checks.
    public var server: String?
    /// Skip the direct-PostgreSQL baseline.
    public var skipBaseline = false
    /// How many times the baseline and Tally's updates phase run, alternating (baseline, Tally,
    /// baseline, Tally, ...), so that a machine whose speed drifts during the run weighs on both
    /// alike; Tally / baseline is then over all rounds.
    public var rounds = 1
    /// Also run ping, updates and idle over TLS, beside plaintext, and time new connections both ways.
    public var tls = false
    /// The executable that runs a server child (`<exe> bench --serve-child ...`); normally /proc/self/exe.
    public var executable: String = "/proc/self/exe"

    public init() {}
}
