/// When a connection's cached plans should be made again because the tables they read have grown.
///
/// PostgreSQL caches a prepared statement's plan (and PL/pgSQL's) for the connection's life, made
/// for the tables as they were. On a fresh database, where a log table holds a few rows, that is a
/// sequential scan (or a hash of the whole table); it stays as the table grows, costing more with
/// every row, until autovacuum's next ANALYZE invalidates it. A connection that follows a growing
/// count (the change log's sequence) discards its plans (``PostgresConnection/discardPlans()``)
/// each time the count has doubled since its plans were made: a few re-plans in a log's life.
public struct ReplanSchedule: Sendable {
    /// The count when the plans were last made; nil until the first one is seen.
    public private(set) var plannedAt: Int64?
    /// The least growth between two re-plans.
    public let minimumGrowth: Int64

    public init(minimumGrowth: Int64 = 1_000) {
        self.minimumGrowth = minimumGrowth
    }

    /// Notes the count now; true (and the count noted as the plans' new one) when it has doubled,
    /// and grown by at least ``minimumGrowth``, since the plans were made.
    public mutating func isDue(at count: Int64) -> Bool {
        guard let planned = plannedAt else {
            plannedAt = count
            return false
        }
        guard count >= max(planned * 2, planned + minimumGrowth) else { return false }
        plannedAt = count
        return true
    }

    /// Forgets the count (a new connection: its plans are made fresh).
    public mutating func reset() { plannedAt = nil }
}
