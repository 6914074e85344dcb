import Foundation

extension PlanState {
    /// Whether a period code ("2024", "2024-03") lies in a campaign ("2024").
    static func period(_ period: String, isIn campaign: String) -> Bool {
        period == campaign || period.hasPrefix(campaign + "-")
    }

    /// The campaign a target belongs to: the one its period lies in.
    func campaign(of target: TargetRecord) -> String {
        String(target.period.prefix(while: { $0 != "-" }))
    }

    /// The campaign of a batch or project; one that names none belongs to the oldest (the only one
    /// before campaigns were recorded).
    func campaign(ofBatchOrProject campaign: String?) -> String { campaign ?? year }

    /// The campaign a 调度 request belongs to: the one running when it was made (else the latest
    /// finished, as a view without a campaign chooses), so a request of 2023 left unanswered is
    /// not an overdue request on 2024's dashboard.
    func campaign(of dispatch: DispatchRecord) -> String {
        campaign(of: dispatch, among: CampaignChoice.years(in: self))
    }

    /// As above, with the campaigns' years found once by the caller (``restricted(to:)`` sorts many requests).
    private func campaign(of dispatch: DispatchRecord, among years: [PeriodRecord]) -> String {
        CampaignChoice.choose(among: years, at: dispatch.createdAt) ?? year
    }

    /// The campaign a change (already applied to this state) belongs to: its target's, batch's or
    /// project's, or a year period's or campaign's own; nil for a change that belongs to none
    /// (a department, a line, a period report).
    func campaign(of change: ChangeRecord) -> String? {
        switch change.kind {
        case .target: return targets[change.subjectId].map { campaign(of: $0) }
        case .project, .register: return projects[change.subjectId].map { campaign(ofBatchOrProject: $0.campaign) }
        case .dispatch: return dispatch.dispatches[change.subjectId].map { campaign(of: $0) }
        case .review: return nil
        case .plan:
            switch PlanField(rawValue: change.field) {
            case .target: return targets[change.subjectId].map { campaign(of: $0) }
            case .project: return projects[change.subjectId].map { campaign(ofBatchOrProject: $0.campaign) }
            case .batch: return batches[change.subjectId].map { campaign(ofBatchOrProject: $0.campaign) }
            case .period, .campaign: return String(change.subjectId.prefix(while: { $0 != "-" }))
            case .department, .line, nil: return nil
            }
        }
    }

    /// Every campaign's year period code, oldest first.
    var campaignCodes: [String] {
        CampaignChoice.years(in: self).map(\.code).sorted()
    }

    /// The state as one campaign sees it: its targets, batches, projects and 调度 requests, with that
    /// campaign as the year (departments, lines, periods and reports stay whole). The state itself when the
    /// database holds only this campaign.
    func restricted(to campaign: String) -> PlanState {
        var copy = self
        copy.year = campaign
        guard campaignCodes != [campaign] else { return copy }
        copy.targets = targets.filter { Self.period($0.value.period, isIn: campaign) }
        copy.batches = batches.filter { self.campaign(ofBatchOrProject: $0.value.campaign) == campaign }
        copy.projects = projects.filter { self.campaign(ofBatchOrProject: $0.value.campaign) == campaign }
        let years = CampaignChoice.years(in: self)
        copy.dispatch.dispatches = dispatch.dispatches.filter { self.campaign(of: $0.value, among: years) == campaign }
        return copy
    }
}

extension PlanState {
    /// Whether the id names a record whose changes the log may hold (History answers NOT_FOUND otherwise).
    func hasSubject(_ id: String) -> Bool {
        targets[id] != nil || projects[id] != nil || batches[id] != nil || departments[id] != nil
            || lines[id] != nil || periods[id] != nil || campaigns[id] != nil
            || dispatch.dispatches[id] != nil || dispatch.reports[id] != nil
    }
}
