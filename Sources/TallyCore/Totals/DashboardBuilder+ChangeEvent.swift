import Foundation
import TallyMessages

extension DashboardBuilder {
    /// The event watchers receive for one committed change: the change, the summary of the department
    /// it concerns, the New Area's investment and progress, and the target status or project it moved.
    ///
    /// `state` is the state after the change was applied. The department is the reporter's; for
    /// admin changes the subject's own (a target's department, a project's lead); the central office
    /// gets no summary.
    public func changeEvent(for change: ChangeRecord, in state: PlanState, at instant: Date) -> Tally_V1_ChangeEvent {
        let evaluation = evaluate(state, at: instant)
        var event = Tally_V1_ChangeEvent()
        event.change = change.proto
        let target: TargetRecord?
        let project: ProjectRecord?
        switch change.kind {
        case .target:
            target = state.targets[change.subjectId]
            project = nil
        case .project, .register:
            target = nil
            project = state.projects[change.subjectId]
        case .plan:
            target = change.field == PlanField.target.rawValue ? state.targets[change.subjectId] : nil
            project = change.field == PlanField.project.rawValue ? state.projects[change.subjectId] : nil
        }
        if let target, let status = evaluation.targets[target.id] { event.target = status.proto }
        if let project { event.project = project.proto }
        let departmentCode = change.department ?? target?.department ?? project?.leadDepartment
            ?? subjectDepartment(of: change, in: state)
        if let code = departmentCode, let department = state.departments[code], department.kind != .central {
            event.department = departmentSummary(department, state: state, evaluation: evaluation,
                                                 period: calendar.monthPeriod(of: instant))
            // The moved target travels in `target`; the department's full target list would make every
            // event (kept in the server's ring and in each watcher's queue) many times larger.
            event.department.targets = []
        }
        event.investmentCompleted = investmentCompleted(state).exactString
        event.overall = progress(state.sortedTargets.compactMap { evaluation.targets[$0.id] },
                                 elapsed: evaluation.yearElapsed)
        return event
    }

    /// The department a plan change's subject belongs to (a department, line or batch).
    private func subjectDepartment(of change: ChangeRecord, in state: PlanState) -> String? {
        switch PlanField(rawValue: change.field) {
        case .department: state.departments[change.subjectId]?.code
        case .line: state.lines[change.subjectId]?.department
        case .batch: state.batches[change.subjectId]?.department
        default: nil
        }
    }
}
