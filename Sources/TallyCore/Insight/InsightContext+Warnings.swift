import Foundation
import TallyMessages

extension InsightContext {
    /// The early warnings standing at the instant, by department order, then kind, then subject;
    /// with `scope`, only those about its departments, targets and projects (and every overdue request).
    public func warnings(in scope: WarningScope? = nil) -> [Tally_V1_Warning] {
        var found = noReportWarnings(scope) + redRunningWarnings(scope) + stalledProjectWarnings(scope) + overdueRequestWarnings()
        let order = Dictionary(state.sortedDepartments.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { $1 })
        found.sort {
            (order[$0.department] ?? Int.max, $0.kind.rawValue, $0.subjectID, $0.key)
                < (order[$1.department] ?? Int.max, $1.kind.rawValue, $1.subjectID, $1.key)
        }
        return found
    }

    /// A department silent for the latest month whose due day (plus the grace) has passed, and silent since.
    func noReportWarnings(_ scope: WarningScope? = nil) -> [Tally_V1_Warning] {
        let grace = TimeInterval(rules.reportGraceDays) * 86_400
        guard let month = months.last(where: { $0.dueAt.addingTimeInterval(grace) <= instant }) else { return [] }
        let since = month.dueAt.addingTimeInterval(grace)
        return departments.compactMap { department in
            if let scope, !scope.departments.contains(department.code) { return nil }
            let reported = state.reportedPeriods(of: department.code)
            guard !reported.contains(where: { FigureHistory.isMonth($0) && $0 >= month.code && $0.hasPrefix(state.year) })
            else { return nil }
            return warning(.noReport, department: department.code, subject: department.code, period: month.code,
                           since: since, detail: "no report for \(month.code), due \(Timestamp.format(month.dueAt))")
        }
    }

    /// A target red now and at the end of each of the months before (``WarningRules/redPeriods`` in all).
    func redRunningWarnings(_ scope: WarningScope? = nil) -> [Tally_V1_Warning] {
        let earlier = max(rules.redPeriods - 1, 0)
        let finished = finishedMonths(by: instant)
        guard finished.count >= earlier, let campaign, instant < campaign.endsAt else { return [] }
        let run = Array(finished.suffix(earlier))
        let targets = scope.map { scope in scope.targets.compactMap { state.targets[$0] } } ?? state.sortedTargets
        return targets.compactMap { target in
            let now = builder.evaluate(target, in: state, at: instant)
            guard now.standing == .behind,
                  run.allSatisfy({ evaluation(of: target, atEndOf: $0).standing == .behind }) else { return nil }
            let elapsed = DashboardBuilder.percentString(elapsedPercent(at: instant))
            return warning(.redRunning, department: target.department, subject: target.id,
                           period: "", since: run.first?.startsAt ?? instant,
                           detail: "completion \(DashboardBuilder.percentString(now.completion))% against \(elapsed)% elapsed, red for \(run.count + 1) periods running (tolerance \(builder.tolerance.exactString) points)")
        }
    }

    /// A project short of its batch's milestone, stage unmoved for ``WarningRules/stalledMonths``,
    /// with the milestone date (the campaign's end) within ``WarningRules/milestoneDays``.
    func stalledProjectWarnings(_ scope: WarningScope? = nil) -> [Tally_V1_Warning] {
        guard let campaign, instant < campaign.endsAt else { return [] }
        let from = campaign.endsAt.addingTimeInterval(-TimeInterval(rules.milestoneDays) * 86_400)
        guard instant >= from else { return [] }
        var oldestInWindow = calendar.monthPeriod(of: instant)
        for _ in 1..<max(rules.stalledMonths, 1) { oldestInWindow = Self.previousMonth(oldestInWindow) }
        let projects = scope.map { scope in scope.projects.compactMap { state.projects[$0] } } ?? state.sortedProjects
        return projects.compactMap { project in
            guard let batch = project.batch.flatMap({ state.batches[$0] }), project.stage < batch.milestone else { return nil }
            let moved = state.history.stageMoved[project.id]
            guard moved.map({ $0 < oldestInWindow }) ?? true else { return nil }
            return warning(.stageStalled, department: project.leadDepartment, subject: project.id, period: "",
                           since: from,
                           detail: "stage \(project.stage.rawValue), milestone \(batch.milestone.rawValue) due \(Timestamp.format(campaign.endsAt)); last moved \(moved ?? "never")")
        }
    }

    /// Each 调度 request a department has not answered by its due time.
    func overdueRequestWarnings() -> [Tally_V1_Warning] {
        dispatch.overdue.map { overdue in
            warning(.requestOverdue, department: overdue.department, subject: overdue.request, period: "",
                    since: overdue.dueAt, detail: "\(overdue.title): unanswered since \(Timestamp.format(overdue.dueAt))")
        }
    }

    private func warning(_ kind: Tally_V1_WarningKind, department: String, subject: String, period: String,
                         since: Date, detail: String) -> Tally_V1_Warning {
        var warning = Tally_V1_Warning()
        warning.kind = kind
        warning.key = [Self.keyName(kind), subject, department == subject ? "" : department, period].filter { !$0.isEmpty }.joined(separator: ":")
        warning.department = department
        warning.subjectID = subject
        warning.period = period
        warning.sinceUnixMs = CivilDate.milliseconds(of: since)
        warning.detail = detail
        return warning
    }

    static func keyName(_ kind: Tally_V1_WarningKind) -> String {
        switch kind {
        case .noReport: "no_report"
        case .redRunning: "red_running"
        case .stageStalled: "stage_stalled"
        case .requestOverdue: "request_overdue"
        case .unspecified, .UNRECOGNIZED: "unknown"
        }
    }
}
