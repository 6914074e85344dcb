import CoreMetrics
import Prometheus
import Synchronization
import TallyCore

/// The process's metrics in Prometheus text form: what swift-metrics recorded (calls by method and
/// status, call latency, writer batch sizes and commit time), plus gauges read from the running
/// server at each scrape (watchers, RPC and HTTP connections, pool, change-feed lag, PostgreSQL reachable).
enum OperatorMetrics {
    private static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    /// Makes swift-metrics record into the Prometheus registry (once per process).
    static func bootstrap() {
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(250), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        factory.defaultValueHistogramBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
        MetricsSystem.bootstrap(factory)
    }

    /// The text a scrape gets; `view` nil (server down) reports PostgreSQL as unreachable.
    static func scrape(_ view: OperatorView?, httpConnections: Int) async -> String {
        var reachable = false
        gauge("http_connections", "Open HTTP connections of the side door (event streams included)").set(httpConnections)
        if let view {
            gauge("watchers", "Watchers (RPC and web) connected").set(view.watcherCount)
            gauge("rpc_connections", "Open RPC connections").set(view.connectionCount)
            let pool = view.poolUsage
            gauge("pool_in_use", "Database connections lent out").set(pool.inUse)
            gauge("pool_waiting", "Callers waiting for a database connection").set(pool.waiting)
            gauge("applied_sequence", "Change-log sequence the live totals reflect")
                .set(Double(view.appliedSequence))
            if let committed = try? await view.committedSequence() {
                reachable = true
                gauge("change_feed_lag", "Committed changes not yet in the live totals")
                    .set(Double(max(0, committed - view.appliedSequence)))
            }
        }
        gauge("postgres_up", "1 when PostgreSQL answered this scrape").set(reachable ? 1.0 : 0.0)
        return registry.emitToString()
    }
}

extension OperatorMetrics {
    /// A gauge named `tally_<name>` with its help text.
    fileprivate static func gauge(_ name: String, _ help: String) -> Prometheus.Gauge {
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "tally", metricName: name, unitName: "", helpText: help))
    }
}

extension Prometheus.Gauge {
    fileprivate func set(_ value: Int) { set(Double(value)) }
}
