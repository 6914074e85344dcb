import TallyMessages

/// Traffic-light standing of a target or an aggregate against elapsed time (时间过半、任务过半).
public enum Standing: String, Sendable, Codable, WireEnumMirror {
    public typealias Wire = Tally_V1_Standing

    /// The target is reached.
    case met
    /// Completion keeps pace with elapsed time.
    case onTrack = "on_track"
    /// Behind elapsed time, within the tolerance.
    case amber
    /// Behind by more than the tolerance.
    case behind
    /// The period has ended and the target was not reached (未完成): a final state, not a warning.
    case missed
}
