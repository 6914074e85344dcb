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
        var evaluation: Evaluation?
        return changeEvent(for: change, in: state, at: instant, reusing: &evaluation)
    }

    /// As above, for a run of changes at one instant: `cached` holds the evaluation of the state
    /// before this change (nil computes it); a target report then re-evaluates that target alone
    /// instead of every target of the plan. On return `cached` matches `state`.
    func changeEvent(for change: ChangeRecord, in state: PlanState, at instant: Date,
                     reusing cached: inout Evaluation?) -> Tally_V1_ChangeEvent {
        if change.kind == .target, let changed = state.targets[change.subjectId], cached != nil {
            // Mutated in place (no copy of the dictionary).
            cached?.targets[changed.id] = evaluate(changed, in: state, at: instant)
        } else {
            cached = evaluate(state, at: instant)
        }
        let evaluation = cached ?? evaluate(state, at: instant)
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
