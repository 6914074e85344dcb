import ArgumentParser
import TallyMessages
import TallyPresentation
import TallyWire

/// `tally list`: what the caller's department reports on, or for the central office the whole plan.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List targets, projects and batches with ids and versions: your department's, or (central token) the whole plan.",
        discussion: """
        With a department token: that department's targets, the projects it leads or co-reports, \
        and its batches. With a central or admin token: every department's, or one with \
        --department. The 牵头/Lead column names the department that leads each project. One \
        campaign at a time: --campaign 2024, else the one running now, else the latest finished.

        Example:
          tally list
          tally list --department yinzhu --token $CENTRAL_TOKEN
          tally list --campaign 2024
        """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "Central or admin token only: list this department (default: all).")
    var department: String?

    @OptionGroup var campaign: CampaignOption

    func run() async throws {
        let ((plan, partners), lang) = try await connection.call { client -> (Tally_V1_ListPlanResponse, [Tally_V1_Department]) in
            if department == nil {
                do {
                    let mine = try await client.listMine(campaign: campaign.campaign)
                    return (Self.plan(of: mine), mine.partners)
                } catch let error as RPCError where error.code == .permissionDenied {
                    // Not a department credential: the central office reads the whole plan.
                }
            }
            let plan = try await client.listPlan(department: department, campaign: campaign.campaign)
            // One department's listing holds only its own record: the others its projects name come from the whole plan.
            let others = department == nil ? [] : try await client.listPlan(campaign: campaign.campaign).departments
            return (plan, others)
        }
        PlanListingRenderer(lang: lang, plan: plan, partners: partners).lines().forEach { Console.out($0) }
    }

    /// A department's holdings in the shape of the plan listing.
    static func plan(of mine: Tally_V1_ListMineResponse) -> Tally_V1_ListPlanResponse {
        var plan = Tally_V1_ListPlanResponse()
        plan.departments = [mine.department]
        plan.targets = mine.targets
        plan.projects = mine.projects
        plan.batches = mine.batches
        plan.campaign = mine.campaign
        return plan
    }
}
