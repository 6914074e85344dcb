import TallyMessages
import TallyRPC
import TallyWire

/// A period report counts only inside the campaign of what it updates: "2030-01" against a 2023
/// target is refused with INVALID_ARGUMENT naming the period, before anything is written.
/// (Unknown ids are left to the writer, which answers NOT_FOUND.)
enum CampaignPeriodRule {
    /// The month a write that names no period counts for, once `campaign` has ended: its last
    /// month (December's figures sent in January count for December, not for a month of no
    /// campaign); `month` itself otherwise. (A month before the campaign stays as it is: a report
    /// made then is held to its own month's window.)
    static func month(_ month: String, within campaign: String) -> String {
        month > campaign + "-12" ? campaign + "-12" : month
    }

    /// The one campaign the updates of a period report belong to; nil when they span several or none is known.
    static func campaign(of updates: [Tally_V1_Update], in state: PlanState) -> String? {
        let campaigns = Set(updates.compactMap { update -> String? in
            switch update.kind {
            case .target(let target): state.targets[target.targetID].map(state.campaign(of:))
            case .project(let project): state.projects[project.projectID].map { state.campaign(ofBatchOrProject: $0.campaign) }
            case nil: nil
            }
        })
        return campaigns.count == 1 ? campaigns.first : nil
    }

    static func check(period: String, updates: [Tally_V1_Update], in state: PlanState) throws(RPCError) {
        for (index, update) in updates.enumerated() {
            let campaign: String?
            let subject: String
            switch update.kind {
            case .target(let target):
                subject = "target \(target.targetID)"
                campaign = state.targets[target.targetID].map(state.campaign(of:))
            case .project(let project):
                subject = "project \(project.projectID)"
                campaign = state.projects[project.projectID].map { state.campaign(ofBatchOrProject: $0.campaign) }
            case nil:
                continue
            }
            if let campaign, !PlanState.period(period, isIn: campaign) {
                throw RPCError(.invalidArgument,
                    "period: \(period) is outside the \(campaign) campaign of updates[\(index)] (\(subject)); give a period from \(campaign)-01 to \(campaign)-12, or \(campaign)")
            }
        }
    }
}
