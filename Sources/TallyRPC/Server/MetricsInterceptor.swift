import CoreMetrics
import TallyWire

/// Counts every call by method and status and records its latency, through swift-metrics (whatever
/// backend the process bootstrapped; none means the calls cost nothing).
public struct MetricsInterceptor: ServerInterceptor {
    public init() {}

    public func intercept(_ context: ServerContext, access: MethodAccess) async throws -> ServerContext {
        context
    }

    public func completed(_ context: ServerContext, status: StatusCode, duration: Duration) {
        let method = [("method", context.method)]
        Counter(label: "tally_rpc_calls_total", dimensions: method + [("status", status.name)]).increment()
        Timer(label: "tally_rpc_call_duration_seconds", dimensions: method).recordNanoseconds(duration.nanoseconds)
    }
}

extension Duration {
    /// The whole duration in nanoseconds (what swift-metrics' Timer records).
    public var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
