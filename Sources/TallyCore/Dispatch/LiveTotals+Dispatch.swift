import Foundation

extension LiveTotals {
    /// How the departments stand with the 调度 requests at the server's now (pinned in tests), from
    /// the in-memory requests: overdue pairs for warnings, answers per department for the ranking.
    var dispatchStanding: DispatchStanding {
        snapshot.dispatch.standing(at: now())
    }
}
