import Foundation
import TallyMessages

extension DashboardBuilder {
    /// Project counts and investment completed per stage, every stage listed, each project once.
    func stageCounts(_ state: PlanState) -> [Tally_V1_StageCount] {
        Stage.allCases.map { stage in
            let members = state.projects.values.filter { $0.stage == stage }
            var count = Tally_V1_StageCount()
            count.stage = stage.proto
            count.projects = Int32(clamping: members.count)
            count.investmentCompleted = members.reduce(Decimal(0)) { $0 + $1.investmentCompleted }.exactString
            return count
        }
    }

    /// A batch with its registered members, those at or past the milestone, and their investment.
    func batchProgress(_ batch: BatchRecord, state: PlanState) -> Tally_V1_BatchProgress {
        let members = state.projects.values.filter { $0.batch == batch.id }
        var progress = Tally_V1_BatchProgress()
        progress.batch = batch.proto
        progress.members = Int32(clamping: members.count)
        progress.atMilestone = Int32(clamping: members.filter { $0.stage >= batch.milestone }.count)
        progress.investmentCompleted = members.reduce(Decimal(0)) { $0 + $1.investmentCompleted }.exactString
        return progress
    }

    /// Planned investment of the whole plan in 亿元, each project once: per batch the larger of the
    /// batch's planned figure and its members' planned figures summed (the batch figure covers members
    /// not yet registered), plus the planned figures of projects outside any batch.
    public func plannedInvestment(_ state: PlanState) -> Decimal {
        var total = Decimal(0)
        var membersPlanned: [String: Decimal] = [:]
        for project in state.projects.values {
            let planned = project.plannedInvestment ?? 0
            if let batch = project.batch, state.batches[batch] != nil {
                membersPlanned[batch, default: 0] += planned
            } else {
                total += planned
            }
        }
        for batch in state.batches.values {
            total += max(batch.plannedInvestment ?? 0, membersPlanned[batch.id] ?? 0)
        }
        return total
    }

    /// Investment completed in 亿元, each project once however many departments report it.
    public func investmentCompleted(_ state: PlanState) -> Decimal {
        state.projects.values.reduce(Decimal(0)) { $0 + $1.investmentCompleted }
    }
}
