import Histogram

/// Latencies in microseconds, recorded by one task and merged at the end.
struct Latency: Sendable {
    private(set) var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)

    /// Records a latency given in nanoseconds (stored in microseconds, at least 1).
    mutating func record(nanos: UInt64) {
        _ = histogram.record(Swift.max(1, Swift.min(nanos / 1000, 60_000_000)))
    }

    mutating func merge(_ other: Latency) {
        histogram.add(other.histogram)
    }

    var count: UInt64 { histogram.totalCount }

    /// The value at a percentile, in microseconds.
    func percentile(_ value: Double) -> UInt64 { count == 0 ? 0 : histogram.valueAtPercentile(value) }

    var max: UInt64 { count == 0 ? 0 : histogram.max }

    /// "p50 1.23 ms  p90 ...  p99 ...  max ..."
    var summary: String {
        "p50 \(Self.format(percentile(50)))  p90 \(Self.format(percentile(90)))  p99 \(Self.format(percentile(99)))  max \(Self.format(max))"
    }

    /// A microsecond figure as "850 µs" or "12.3 ms".
    static func format(_ micros: UInt64) -> String {
        if micros < 1000 { return "\(micros) µs" }
        let tenths = (micros + 50) / 100
        return "\(tenths / 10).\(tenths % 10) ms"
    }
}
