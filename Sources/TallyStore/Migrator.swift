/// One schema change: applied once, in its own transaction, recorded in `tally_migrations`.
public struct Migration: Sendable {
    /// Unique, increasing version number.
    public var version: Int
    /// A short name; a recorded version whose name differs is refused (a sign of edited history).
    public var name: String
    /// The SQL script (may hold several statements).
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

/// A migration run that cannot go on: duplicate versions, or a recorded migration that differs.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }
}

/// Applies migrations to a database, safely from several processes at once.
public enum Migrator {
    /// The `pg_advisory_lock` key held for a whole run (ASCII "tallymig").
    public static let advisoryLockKey: Int64 = 0x7461_6c6c_796d_6967

    /// Applies the `migrations` not yet recorded, in version order, each in its own transaction
    /// together with its `tally_migrations` row, while holding a session advisory lock (so a
    /// concurrent run waits and then finds them applied). Returns the versions this call applied.
    /// Throws `MigrationError` for duplicate versions or a recorded version with another name,
    /// and `StoreError` when a migration fails (earlier ones stay applied).
    public static func migrate(_ connection: PostgresConnection, _ migrations: [Migration]) throws -> [Int] {
        let ordered = migrations.sorted { $0.version < $1.version }
        for (previous, next) in zip(ordered, ordered.dropFirst()) where previous.version == next.version {
            throw MigrationError(message: "migration version \(next.version) is defined twice (\"\(previous.name)\", \"\(next.name)\")")
        }
        try connection.execute("SELECT pg_advisory_lock($1)", [.int64(advisoryLockKey)])
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock($1)", [.int64(advisoryLockKey)]) }
        // Created only when missing: a role without CREATE on the schema (the runtime role) may still
        // run this to find that nothing is pending.
        let table = try connection.execute("SELECT to_regclass('tally_migrations') IS NOT NULL")
        let exists = try table.rows.first?.decode(Bool.self, at: 0) ?? false
        if !exists {
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS tally_migrations (
                    version int PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """)
        }
        var recorded: [Int: String] = [:]
        for row in try connection.execute("SELECT version, name FROM tally_migrations").rows {
            recorded[try row.decode(Int.self, at: 0)] = try row.decode(String.self, at: 1)
        }
        var applied: [Int] = []
        for migration in ordered {
            if let name = recorded[migration.version] {
                guard name == migration.name else {
                    throw MigrationError(
                        message: "migration \(migration.version) was applied as \"\(name)\" but is now named \"\(migration.name)\"; refusing to continue")
                }
                continue
            }
            do {
                try connection.transaction { connection in
                    try connection.executeScript(migration.sql)
                    try connection.execute(
                        "INSERT INTO tally_migrations (version, name) VALUES ($1, $2)",
                        [.int(migration.version), .text(migration.name)])
                }
            } catch let error as StoreError {
                throw error.prefixed("migration \(migration.version) \"\(migration.name)\" failed: ")
            }
            applied.append(migration.version)
        }
        return applied
    }
}
