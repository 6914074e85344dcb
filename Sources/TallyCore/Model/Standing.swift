import TallyMessages

/// Traffic-light standing of a target or an aggregate against elapsed time (时间过半、任务过半).
public enum Standing: String, Sendable, Codable, CaseIterable {
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

    /// The wire enum of this standing.
    public var proto: Tally_V1_Standing {
        switch self {
        case .met: .met
        case .onTrack: .onTrack
        case .amber: .amber
        case .behind: .behind
        case .missed: .missed
        }
    }

    /// The standing of a wire enum; nil for unspecified or unknown values.
    public init?(proto: Tally_V1_Standing) {
        switch proto {
        case .met: self = .met
        case .onTrack: self = .onTrack
        case .amber: self = .amber
        case .behind: self = .behind
        case .missed: self = .missed
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }
}
