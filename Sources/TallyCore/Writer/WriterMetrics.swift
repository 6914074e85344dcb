import CoreMetrics
import TallyRPC

/// The writer's figures for the operator, through swift-metrics: how many commands each commit
/// held and how long the commit took.
enum WriterMetrics {
    static let batchSizeLabel = "tally_writer_batch_size"
    static let commitLabel = "tally_writer_commit_seconds"

    /// Records one committed (or failed) batch of `size` commands that took `duration`.
    static func batch(size: Int, duration: Duration) {
        Recorder(label: batchSizeLabel, aggregate: true).record(size)
        Timer(label: commitLabel).recordNanoseconds(duration.nanoseconds)
    }
}
