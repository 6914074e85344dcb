import Foundation
import TallyStore

/// Schema migrations and the default plan, applied by `tally migrate`, `tally seed` and server start.
public enum TallyDatabase {
    /// Tally's migrations, embedded from Schema/ (see Schema/embed.sh).
    public static var migrations: [Migration] {
        EmbeddedSchema.migrations.map { Migration(version: $0.version, name: $0.name, sql: $0.sql) }
    }

    /// Applies the migrations not yet applied; returns their versions. Safe to run concurrently.
    /// With `runtimeRole`, `configuration` is the owner's and the role then gets (and is created with,
    /// if missing) the runtime privileges, after all migrations (see ``RuntimeRole``).
    public static func migrate(
        _ configuration: PostgresConfiguration, runtimeRole: String? = nil, runtimePassword: String? = nil
    ) throws -> [Int] {
        let connection = try PostgresConnection(configuration: configuration)
        defer { connection.close() }
        let applied = try Migrator.migrate(connection, migrations)
        if let runtimeRole { try RuntimeRole.setUp(connection, role: runtimeRole, password: runtimePassword) }
        return applied
    }

    /// Loads the 2023 plan into a database that has no departments yet; false when it already has a plan.
    @discardableResult
    public static func seed(_ configuration: PostgresConfiguration) throws -> Bool {
        let connection = try PostgresConnection(configuration: configuration)
        defer { connection.close() }
        return try seed(connection)
    }

    static func seed(_ connection: PostgresConnection) throws -> Bool {
        try connection.transaction { connection in
            // Serialise with other servers starting at the same moment.
            try connection.execute("SELECT pg_advisory_xact_lock(7411002)")
            let existing = try connection.execute("SELECT count(*) FROM departments")
            guard let row = existing.rows.first, try row.decode(Int64.self, at: 0) == 0 else { return false }
            try PlanSeeder.seed(connection)
            return true
        }
    }
}
