import TallyMessages

/// What a page of reports can move: the departments that reported and the targets and projects
/// they changed. Checking only their warnings after a write keeps the cost of a check to the size
/// of the write; the ticker's full checks cover what time alone moves.
public struct WarningScope: Sendable, Hashable {
    public var departments: Set<String> = []
    public var targets: Set<String> = []
    public var projects: Set<String> = []

    /// The scope of committed changes; nil when one of them is a plan change, which can move any warning.
    public init?(_ changes: [ChangeRecord]) {
        for change in changes {
            switch change.kind {
            case .plan, .dispatch, .review: return nil  // plans move anything; requests move overdue ones
            case .target: targets.insert(change.subjectId)
            case .project, .register: projects.insert(change.subjectId)
            }
            if let department = change.department { departments.insert(department) }
        }
    }

    /// Whether a warning is about something in the scope (an overdue request always is: its
    /// source is read afresh at every check).
    public func covers(_ warning: Tally_V1_Warning) -> Bool {
        switch warning.kind {
        case .noReport: departments.contains(warning.department)
        case .redRunning: targets.contains(warning.subjectID)
        case .stageStalled: projects.contains(warning.subjectID)
        case .requestOverdue, .unspecified, .UNRECOGNIZED: true
        }
    }
}
