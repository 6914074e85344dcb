import TallyStore

extension PlanSeeder {
    /// Inserts the plan (by default the 2023 plan) through a connection, inside the caller's transaction
    /// if one is open. Idempotent: rows that exist are left as they are.
    public static func seed(_ connection: PostgresConnection, plan: PlanDocument = .default2023) throws {
        for statement in statements(for: plan) {
            try connection.executePrepared(
                statement.sql, statement.parameters.map { $0.map(PostgresValue.text) ?? .null })
        }
    }
}
