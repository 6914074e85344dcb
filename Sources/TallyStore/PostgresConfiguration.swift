/// How to reach a PostgreSQL server: a libpq connection string, either a URL
/// (`postgresql://user@127.0.0.1:5432/tally`) or `key=value` pairs (`host=/tmp port=5432 dbname=tally`).
///
/// When the string names no `connect_timeout`, `defaultConnectTimeout` seconds apply, so a
/// connection attempt never hangs. `description` masks the password.
public struct PostgresConfiguration: Sendable, CustomStringConvertible {
    /// The libpq connection string (URL or key=value).
    public var conninfo: String
    /// Seconds to wait for a connection when `conninfo` has no `connect_timeout` (default 5).
    public var defaultConnectTimeout: Int = 5

    public init(conninfo: String) {
        self.conninfo = conninfo
    }
}
