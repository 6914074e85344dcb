import TallyStore

/// The PostgreSQL role `tally serve` connects as, apart from the owner that runs migrations: it may
/// read and write what serving needs and nothing more. It owns nothing, so it cannot ALTER, DROP or
/// disable a trigger; it may only SELECT and INSERT `change_log` (no UPDATE, DELETE or TRUNCATE);
/// it cannot create roles or objects.
public enum RuntimeRole {
    /// The role's name unless told otherwise.
    public static let defaultName = "tally_runtime"

    /// As the owner (on `connection`, after all migrations): creates `role` if it does not exist
    /// (LOGIN, with `password` if given; needs CREATEROLE), sets `password` on an existing one, and
    /// grants exactly the runtime privileges on every table and sequence of the schema. Safe to repeat.
    public static func setUp(_ connection: PostgresConnection, role: String, password: String? = nil) throws {
        let current = try connection.execute("SELECT current_user::text, current_schema()::text")
        guard let row = current.rows.first else { return }
        let owner = try row.decode(String.self, at: 0)
        let schema = try connection.quoteIdentifier(try row.decode(String.self, at: 1))
        guard owner != role else {
            throw MigrationError(message: "the runtime role \(role) must differ from the owner role running the migrations")
        }
        try ensureExists(connection, role: role, password: password)
        let name = try connection.quoteIdentifier(role)
        try connection.transaction { connection in
            for statement in [
                "GRANT USAGE ON SCHEMA \(schema) TO \(name)",
                "REVOKE ALL ON ALL TABLES IN SCHEMA \(schema) FROM \(name)",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \(schema) TO \(name)",
                // The log is evidence: append and read only.
                "REVOKE UPDATE, DELETE ON change_log FROM \(name)",
                "REVOKE INSERT, UPDATE, DELETE ON tally_migrations FROM \(name)",
                "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA \(schema) TO \(name)",
            ] {
                try connection.execute(statement)
            }
        }
    }

    private static func ensureExists(_ connection: PostgresConnection, role: String, password: String?) throws {
        let found = try connection.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = $1", [.text(role)])
        if let row = found.rows.first {
            if try row.decode(Bool.self, at: 0) {
                throw MigrationError(message: "the runtime role \(role) may create roles or is a superuser; use a plain role")
            }
            if let password {
                try connection.execute(try statement(connection, "ALTER ROLE %I PASSWORD %L", role, password))
            }
            return
        }
        let create = password == nil
            ? try statement(connection, "CREATE ROLE %I LOGIN", role)
            : try statement(connection, "CREATE ROLE %I LOGIN PASSWORD %L", role, password ?? "")
        do throws(StoreError) {
            try connection.execute(create)
        } catch {
            // Another migration run created it at the same moment (roles are shared by the cluster).
            if error.sqlState == SQLState("42710") || error.sqlState == .uniqueViolation { return }
            guard error.sqlState == SQLState("42501") else { throw error }
            throw MigrationError(
                message: "cannot create the runtime role \(role) (the owner lacks CREATEROLE): create it as an administrator "
                    + "with CREATE ROLE \(role) LOGIN PASSWORD '...', then run tally migrate again")
        }
    }

    /// A statement with identifiers and literals quoted by the server's `format()`.
    private static func statement(_ connection: PostgresConnection, _ template: String, _ values: String...) throws -> String {
        let placeholders = values.indices.map { "$\($0 + 2)::text" }.joined(separator: ", ")
        let result = try connection.execute("SELECT format($1::text, \(placeholders))", [.text(template)] + values.map { .text($0) })
        guard let row = result.rows.first else { throw MigrationError(message: "format() returned nothing") }
        return try row.decode(String.self, at: 0)
    }
}
