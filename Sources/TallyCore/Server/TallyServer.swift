import Dispatch
import Foundation
import Logging
import Synchronization
import TallyRPC
import TallyStore

/// A whole Tally server: migrates and (if empty) seeds the database, rebuilds the totals from it,
/// follows the change log, and serves the Reporting, Oversight, Office and Admin services over the Tally
/// protocol. Several servers may share one database.
public final class TallyServer: Sendable {
    private let configuration: TallyServerConfiguration
    private let logger: Logger
    /// Set by start(), cleared by shutdown().
    private let running = Mutex<Running?>(nil)

    /// The parts of a running server: the operator's view holds the RPC server and the services'
    /// ``ServerParts``; the change feed, the bound port and the warning ticker are the server's own.
    private struct Running: Sendable {
        var view: OperatorView
        var feed: ChangeFeed
        var port: Int
        var ticker: WarningTicker
    }

    public init(configuration: TallyServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Starts serving; returns the bound port.
    public func start() async throws -> Int {
        let configuration = self.configuration
        let logger = self.logger
        // Migration, seeding and loading block on libpq: run them off the cooperative pool.
        let state = try await Self.blocking {
            let connection = try PostgresConnection(configuration: configuration.owner ?? configuration.database)
            defer { connection.close() }
            let applied = try Migrator.migrate(connection, TallyDatabase.migrations)
            if !applied.isEmpty { logger.info("applied migrations \(applied)") }
            if configuration.owner != nil {
                try RuntimeRole.setUp(connection, role: configuration.database.userName ?? RuntimeRole.defaultName)
            }
            if configuration.seedEmptyDatabase, try TallyDatabase.seed(connection) {
                logger.info("loaded the default 2023 plan into the empty database")
            }
            let state = try PlanState.load(connection)
            try connection.awaitDurability()  // what was loaded survives a crash (ChangeFeed's rule)
            return state
        }
        let pool = ConnectionPool(configuration: configuration.database, size: configuration.poolSize)
        let totals = LiveTotals(state: state, builder: DashboardBuilder(tolerance: configuration.tolerancePercent),
                                pinnedNow: configuration.pinnedNow, rules: configuration.warningRules)
        let hub = WatchHub(totals: totals, watcherCapacity: configuration.watcherCapacity)
        hub.checkWarnings()  // what stands at start; later checks tell watchers what starts and ends
        let authenticator = Authenticator(pool: pool)
        let writer = Writer(configuration: configuration.database, logger: logger)
        let feed = ChangeFeed(configuration: configuration.database, hub: hub, totals: totals,
                              authenticator: authenticator, localSenders: { writer.backendPIDs }, logger: logger)
        // This server's own commits reach its watchers straight from the writer, on the lane that
        // committed them (the other lane's batch meanwhile runs in PostgreSQL; a queue hop here
        // would wait behind every connection's work); the feed covers the other servers' commits.
        writer.onCommit { changes in
            do {
                try hub.publish(changes)
            } catch {
                logger.warning("a committed change could not be applied here; the change feed reloads",
                               metadata: ["error": "\(error)"])
            }
        }
        writer.notifyOnlyWhile { feed.othersFollow }
        feed.start()

        // Errors are said in the caller's language (the outermost step, so authentication's too);
        // every call, refused or not, is counted and timed.
        let router = Router(interceptors: [
            MetricsInterceptor(), MessageLanguageInterceptor(), AuthenticationInterceptor(authenticator),
        ])
        let window = MadeAtWindow(clockSkew: configuration.madeAtClockSkew, grace: configuration.lateDeliveryGrace)
        let parts = ServerParts(totals: totals, hub: hub, pool: pool, writer: writer)
        let reporting = ReportingService(parts: parts, window: window)
        let services: [any TallyService] = [
            reporting, OfficeService(parts: parts, reporting: reporting), OversightService(parts: parts),
            AdminService(parts: parts, authenticator: authenticator), PlanService(parts: parts),
        ]
        for service in services { service.register(on: router) }
        if configuration.enableBenchMethods { BenchService(parts: parts).register(on: router) }

        var serverConfiguration = ServerConfiguration()
        serverConfiguration.host = configuration.host
        serverConfiguration.port = configuration.port
        serverConfiguration.maxConnections = configuration.maxConnections
        serverConfiguration.connectionWarningThreshold = configuration.connectionWarningThreshold
        serverConfiguration.outboundHighWatermark = configuration.outboundBufferBytes
        serverConfiguration.outboundLowWatermark = max(1, configuration.outboundBufferBytes / 4)
        serverConfiguration.peerName = "tally-server/1"
        serverConfiguration.tls = configuration.tls
        serverConfiguration.allowsPlaintextBeyondLoopback = configuration.allowsPlaintextBeyondLoopback
        let rpc = RPCServer(configuration: serverConfiguration, router: router, logger: logger)
        let port: Int
        do {
            port = try rpc.start()
        } catch {
            feed.stop()
            pool.close()
            throw error
        }
        let view = OperatorView(parts: parts, authenticator: authenticator, rpc: rpc)
        let ticker = WarningTicker(hub: hub, interval: configuration.warningCheckInterval)
        running.withLock {
            $0 = Running(view: view, feed: feed, port: port, ticker: ticker)
        }
        logger.info("tally server listening", metadata: ["address": "\(configuration.host):\(port)",
                                                          "sequence": "\(state.sequence)"])
        return port
    }

    /// Loads the TLS certificate, key and client CA again (SIGHUP): new connections use them, open
    /// connections continue undisturbed. Throws when they cannot be loaded (the old ones stay).
    public func reloadTLS() throws {
        guard let rpc = running.withLock({ $0?.view.rpc }) else { return }
        try rpc.reloadTLS()
    }

    /// For demos and tests: moves the server's pinned now to `date` (pinning it if it ran on the wall
    /// clock) and checks the warnings at once, as the ticker would once that time came; with
    /// `checkingWarnings` false only the ticker (``TallyServerConfiguration/warningCheckInterval``) does.
    public func pinClock(to date: Date, checkingWarnings: Bool = true) {
        guard let running = running.withLock({ $0 }) else { return }
        running.view.parts.totals.pin(date)
        if checkingWarnings { running.view.parts.hub.checkWarnings() }
    }

    /// Plugs in the 调度 requests' standing (overdue requests, answers per department) for warnings and the ranking.
    public func setDispatchSource(_ source: (any DispatchInputSource)?) {
        guard let running = running.withLock({ $0 }) else { return }
        running.view.parts.totals.setDispatchSource(source)
        running.view.parts.hub.checkWarnings()
    }

    /// The bound port, once started.
    public var port: Int? { running.withLock { $0?.port } }

    /// What the operator's side doors (web dashboard, metrics, health) see, while the server runs.
    public var operatorView: OperatorView? { running.withLock { $0?.view } }

    /// Watchers being served now (one goes away when it ends or is cut off for reading too slowly).
    public var watcherCount: Int? { running.withLock { $0?.view.parts.hub.watcherCount } }

    /// Whether this server's change feed sees another server following the log on its database, so
    /// that its commits notify them (Schema/015); nil while stopped.
    public var otherServersFollow: Bool? { running.withLock { $0?.feed.othersFollow } }

    /// Commits and batches the writer has done (for `tally bench`).
    public var writerStatistics: (batches: Int, commands: Int)? { running.withLock { $0?.view.parts.writer.statistics } }

    /// Graceful stop: GOAWAY to every client, calls in flight finish (bounded), then the change feed,
    /// the writer and the pool close.
    public func shutdown() async {
        guard let running = running.withLock({ running -> Running? in
            defer { running = nil }
            return running
        }) else { return }
        running.ticker.cancel()
        running.view.parts.hub.finishAll()
        await running.view.rpc.shutdown()
        await Self.blockingIgnoringErrors {
            running.feed.stop()
            running.view.parts.writer.close()
            running.view.parts.pool.close()
        }
    }

    private static let blockingQueue = DispatchQueue(label: "tally.server.blocking", attributes: .concurrent)

    /// Runs blocking work on a Dispatch queue and awaits its result.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            blockingQueue.async {
                continuation.resume(with: Result { try work() })
            }
        }
    }

    private static func blockingIgnoringErrors(_ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            blockingQueue.async {
                work()
                continuation.resume()
            }
        }
    }
}
