import TallyMessages
import TallyRPC
import TallyWire

/// A period report counts only inside the campaign of what it updates: "2030-01" against a 2023
/// target is refused with INVALID_ARGUMENT naming the period, before anything is written.
/// (Unknown ids are left to the writer, which answers NOT_FOUND.)
enum CampaignPeriodRule {
    /// The campaign's last month when `month`, the one a write that names no period would count
    /// for, comes after `campaign` has ended (December's figures sent in January count for
    /// December, not for a month of no campaign); nil while the campaign runs or has not begun (a
    /// report made before it is held to its own month's window).
    static func lastMonth(after month: String, of campaign: String) -> String? {
        month > campaign + "-12" ? campaign + "-12" : nil
    }

    /// The one campaign the updates of a period report belong to; nil when they span several or none is known.
    static func campaign(of updates: [Tally_V1_Update], in state: PlanState) -> String? {
        let campaigns = Set(updates.compactMap { campaign(of: $0, in: state)?.campaign })
        return campaigns.count == 1 ? campaigns.first : nil
    }

    /// The campaign of what one update reports, and the update's subject in words; nil for an
    /// empty update or an unknown id.
    private static func campaign(of update: Tally_V1_Update, in state: PlanState) -> (campaign: String, subject: String)? {
        switch update.kind {
        case .target(let target):
            state.targets[target.targetID].map { (state.campaign(of: $0), "target \(target.targetID)") }
        case .project(let project):
            state.projects[project.projectID].map { (state.campaign(ofBatchOrProject: $0.campaign), "project \(project.projectID)") }
        case nil:
            nil
        }
    }

    static func check(period: String, updates: [Tally_V1_Update], in state: PlanState) throws(RPCError) {
        for (index, update) in updates.enumerated() {
            if let (campaign, subject) = campaign(of: update, in: state), !PlanState.period(period, isIn: campaign) {
                throw RPCError(.invalidArgument,
                    "period: \(period) is outside the \(campaign) campaign of updates[\(index)] (\(subject)); give a period from \(campaign)-01 to \(campaign)-12, or \(campaign)")
            }
        }
    }
}
