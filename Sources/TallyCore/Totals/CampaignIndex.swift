/// Which campaign each target, project and batch belongs to, kept beside the live totals so that a
/// write's handler can learn it without taking the totals' lock (which a batch's apply holds).
/// Rebuilt only when the plan changes (a plan change, a registered project, a reload).
struct CampaignIndex: Sendable {
    var targets: [String: String] = [:]
    var projects: [String: String] = [:]
    var batches: [String: String] = [:]

    init(_ state: PlanState) {
        targets = state.targets.mapValues(state.campaign(of:))
        projects = state.projects.mapValues { state.campaign(ofBatchOrProject: $0.campaign) }
        batches = state.batches.mapValues { state.campaign(ofBatchOrProject: $0.campaign) }
    }

    /// Whether applying `changes` can move a record between campaigns or add one.
    static func isMoved(by changes: [ChangeRecord]) -> Bool {
        changes.contains { $0.kind == .plan || $0.kind == .register }
    }
}
