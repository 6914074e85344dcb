import Foundation

/// A PostgreSQL cluster of our own in `directory` (data in `directory/data`, Unix socket and log
/// in `directory`), made with initdb and run with pg_ctl: throwaway clusters for tests, or an
/// embedded one for `tally` demos. When the process runs as root, the tools run as `postgres`
/// (through runuser) and the directory is given to that user.
public struct LocalCluster: Sendable {
    /// The cluster's directory (socket and log); data lives in `dataDirectory`.
    public let directory: String
    /// The TCP port (on 127.0.0.1) and the Unix socket's port number.
    public let port: Int
    /// False turns off fsync and full_page_writes: fast, and fine for data you can lose.
    public let fsync: Bool
    /// Where initdb and pg_ctl were found.
    public let binDirectory: String

    public var dataDirectory: String { directory + "/data" }
    public var logFile: String { directory + "/postgres.log" }

    /// Prepares a cluster in `directory` (created if missing) with initdb, or reuses the data
    /// already there. Does not start it. Throws `LocalClusterError` naming what failed.
    public static func create(directory: String, port: Int, fsync: Bool) throws -> LocalCluster {
        let cluster = LocalCluster(directory: directory, port: port, fsync: fsync, binDirectory: try findBinDirectory())
        try prepareDirectory(directory)
        if !FileManager.default.fileExists(atPath: cluster.dataDirectory + "/PG_VERSION") {
            var arguments = ["-D", cluster.dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]
            if !fsync { arguments.append("--no-sync") }
            try check(cluster.binDirectory + "/initdb", arguments, asPostgres: isRoot, what: "initdb in \(cluster.dataDirectory)")
        }
        return cluster
    }

    /// Starts the server and waits until it accepts connections (pg_ctl start -w).
    public func start() throws {
        var options = "-p \(port) -k '\(directory)' -c listen_addresses=127.0.0.1"
        if !fsync { options += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off" }
        try Self.check(
            binDirectory + "/pg_ctl",
            ["-D", dataDirectory, "-w", "-t", "60", "-l", logFile, "-o", options, "start"],
            asPostgres: Self.isRoot, what: "starting PostgreSQL on port \(port)", logFile: logFile,
            daemonizes: true)
    }

    /// Stops the server (pg_ctl stop -m fast: disconnects sessions, shuts down cleanly).
    public func stop() throws {
        try Self.check(
            binDirectory + "/pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "-t", "60", "stop"],
            asPostgres: Self.isRoot, what: "stopping PostgreSQL in \(dataDirectory)", logFile: logFile)
    }

    /// True when pg_ctl reports the server running.
    public var isRunning: Bool {
        (try? Self.run(binDirectory + "/pg_ctl", ["-D", dataDirectory, "status"], asPostgres: Self.isRoot).status) == 0
    }

    /// The postmaster's process id, from `postmaster.pid` (nil when not running).
    public var serverPID: Int32? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
            let first = text.split(separator: "\n").first
        else { return nil }
        return Int32(first.trimmingCharacters(in: .whitespaces))
    }

    /// A libpq conninfo for `database` over the cluster's Unix socket as user postgres.
    public func conninfo(database: String) -> String {
        "host=\(PostgresConfiguration.quote(directory)) port=\(port) user=postgres dbname=\(PostgresConfiguration.quote(database))"
    }

    /// The configuration for `database` on this cluster.
    public func configuration(database: String) -> PostgresConfiguration {
        PostgresConfiguration(conninfo: conninfo(database: database))
    }

    /// Creates database `name` (CREATE DATABASE, name quoted as an identifier).
    public func createDatabase(_ name: String) throws {
        let connection = try PostgresConnection(configuration: configuration(database: "postgres"))
        defer { connection.close() }
        try connection.execute("CREATE DATABASE \(try connection.quoteIdentifier(name))")
    }
}
