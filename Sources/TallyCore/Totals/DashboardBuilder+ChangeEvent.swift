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
        var cache: ChangeEventCache?
        return changeEvent(for: change, in: state, at: instant, reusing: &cache)
    }

    /// As above, for a run of changes at one instant. `cache` holds what the state before this change
    /// gave (nil computes it): a target report then re-evaluates that target alone, and reuses the
    /// plan's target order and the New Area's investment, which only plan and project changes move.
    /// On return `cache` matches `state`.
    func changeEvent(for change: ChangeRecord, in state: PlanState, at instant: Date,
                     reusing cache: inout ChangeEventCache?) -> Tally_V1_ChangeEvent {
        if change.kind == .target, let changed = state.targets[change.subjectId], cache != nil {
            // Mutated in place (no copy of the dictionary); the running sums move by this target alone.
            let fresh = evaluate(changed, in: state, at: instant)
            if let old = cache?.evaluation.targets.updateValue(fresh, forKey: changed.id) {
                cache?.overall.remove(old)
                cache?.departments[old.target.department]?.remove(old)
            }
            cache?.overall.add(fresh)
            cache?.departments[changed.department]?.add(fresh)
        } else {
            let evaluation = evaluate(state, at: instant)
            let sortedTargetIDs = state.sortedTargets.map(\.id)
            cache = ChangeEventCache(evaluation: evaluation, sortedTargetIDs: sortedTargetIDs,
                                     investmentCompleted: investmentCompleted(state).exactString,
                                     overall: ProgressTally(sortedTargetIDs.compactMap { evaluation.targets[$0] }))
        }
        guard let cached = cache else { return Tally_V1_ChangeEvent() }
        let evaluation = cached.evaluation
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
        case .dispatch, .review:
            target = nil
            project = nil
            dispatchParts(of: change, in: state, at: instant, into: &event)
        }
        if let target, let status = evaluation.targets[target.id] { event.target = status.proto }
        if let project { event.project = project.proto }
        let departmentCode = change.department ?? target?.department ?? project?.leadDepartment
            ?? subjectDepartment(of: change, in: state)
        if let code = departmentCode, let department = state.departments[code], department.kind != .central {
            if cache?.departments[code] == nil {
                cache?.departments[code] = ProgressTally(state.targets(of: code).compactMap { evaluation.targets[$0.id] })
            }
            event.department = departmentSummary(department, state: state, evaluation: evaluation,
                                                 period: calendar.monthPeriod(of: instant),
                                                 progress: cache?.departments[code])
            // The moved target travels in `target`; the department's full target list would make every
            // event (kept in the server's ring and in each watcher's queue) many times larger.
            event.department.targets = []
        }
        event.investmentCompleted = cached.investmentCompleted
        event.overall = cached.overall.progress(elapsed: evaluation.yearElapsed, builder: self)
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

/// What consecutive change events at one instant share (see ``DashboardBuilder/changeEvent(for:in:at:reusing:)``).
struct ChangeEventCache {
    var evaluation: Evaluation
    /// Every target id in display order.
    var sortedTargetIDs: [String]
    /// The New Area's completed investment, as sent.
    var investmentCompleted: String
    /// Running sums over every target, and over each department's targets (filled on first use).
    var overall: ProgressTally
    var departments: [String: ProgressTally] = [:]
}
