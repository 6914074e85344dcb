import TallyMessages

/// The dashboard as a watcher sees it: a snapshot with every later change event folded in.
struct DashboardState: Sendable {
    var dashboard: Tally_V1_Dashboard
    var recent: [Tally_V1_ChangeEvent] = []
    let keepRecent = 8

    /// Whether a change belongs to the campaign shown (another campaign's comes without totals).
    func shows(_ event: Tally_V1_ChangeEvent) -> Bool {
        event.campaign.isEmpty || dashboard.campaign.isEmpty || event.campaign == dashboard.campaign
    }

    /// Folds one change into the totals it moved.
    mutating func apply(_ event: Tally_V1_ChangeEvent) {
        dashboard.sequence = max(dashboard.sequence, event.change.sequence)
        guard shows(event) else { return }
        if event.hasOverall { dashboard.overall = event.overall }
        if !event.investmentCompleted.isEmpty { dashboard.investmentCompleted = event.investmentCompleted }
        if event.hasDepartment {
            let code = event.department.department.code
            if let index = dashboard.departments.firstIndex(where: { $0.department.code == code }) {
                // Events leave out the department's target list; keep ours and move the one target.
                var summary = event.department
                summary.targets = dashboard.departments[index].targets
                if event.hasTarget,
                   let position = summary.targets.firstIndex(where: { $0.target.id == event.target.target.id }) {
                    summary.targets[position] = event.target
                }
                dashboard.departments[index] = summary
            } else {
                dashboard.departments.append(event.department)
            }
            if event.department.reportedThisPeriod { dashboard.notReported.removeAll { $0 == code } }
        }
        recent.append(event)
        if recent.count > keepRecent { recent.removeFirst(recent.count - keepRecent) }
    }
}
