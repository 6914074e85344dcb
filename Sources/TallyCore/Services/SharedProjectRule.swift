import TallyMessages
import TallyRPC
import TallyWire

/// Shared projects: the lead department owns a project's stage and investment figure. A
/// co-reporting department reports progress (percent) and notes; an attempt to set the stage or
/// the investment is refused with PERMISSION_DENIED naming the lead. Its own share of the
/// investment (`share_investment`, where the plan gives it one) is checked by the writer, which
/// holds the shares (Schema/010). (A department that neither leads nor co-reports is refused by the
/// writer as before.)
enum SharedProjectRule {
    static func check(_ request: Tally_V1_ReportProjectRequest, by principal: Principal, in state: PlanState) throws(RPCError) {
        guard let department = principal.department, let project = state.projects[request.projectID],
              project.leadDepartment != department, project.coDepartments.contains(department),
              request.stage != .unspecified || !request.investmentCompleted.isEmpty
        else { return }
        let lead = state.departments[project.leadDepartment].map { "\($0.code) (\($0.name))" } ?? project.leadDepartment
        throw RPCError(.permissionDenied,
            "\(project.id): its stage and investment belong to the lead department \(lead); \(department) co-reports it and may report percent and notes")
    }
}
