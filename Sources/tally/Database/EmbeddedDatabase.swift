import Foundation
import TallyStore

/// Tally's own PostgreSQL cluster under its home (`--home`, `$TALLY_HOME`, else the XDG data
/// directory `~/.local/share/tally`), made by `LocalCluster`
/// from the system's PostgreSQL binaries (as the `postgres` user when root): cluster directory
/// `HOME/pg` (data in `HOME/pg/data`, unix socket and log beside it). It listens on its unix socket
/// only (no TCP), so several homes, a system PostgreSQL or anything else on port 7432 never collide;
/// 7432 only names the socket file. Commands start it when it is not running and stop it only if
/// they started it.
struct EmbeddedDatabase: Sendable {
    static let port = 7432
    static let databaseName = "tally"

    let home: String
    var clusterDirectory: String { home + "/pg" }

    /// Uses the cluster under `home` (relative paths are resolved against the working directory).
    init(home: String) {
        let base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        self.home = URL(fileURLWithPath: home, relativeTo: base).standardizedFileURL.path
    }

    /// Whether a cluster was made under this home.
    var exists: Bool { FileManager.default.fileExists(atPath: clusterDirectory + "/data/PG_VERSION") }

    /// Creates the cluster if needed (initdb), starts it if it is not running, creates the database.
    /// - Returns: the cluster and whether this call started it (the caller then stops it).
    func startIfNeeded(progress: ProgressReporter) throws(CLIError) -> (cluster: LocalCluster, started: Bool) {
        let cluster: LocalCluster
        do {
            if !exists {
                progress.step(zh: "在 \(clusterDirectory) 创建内置 PostgreSQL 集群", en: "creating the embedded PostgreSQL cluster in \(clusterDirectory)")
            }
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            cluster = try LocalCluster.create(directory: clusterDirectory, port: Self.port, fsync: true)
        } catch {
            throw CLIError(.database, progress.lang.pick(zh: "无法在 \(clusterDirectory) 创建内置 PostgreSQL：\(error)",
                                                         en: "cannot create the embedded PostgreSQL in \(clusterDirectory): \(error)"))
        }
        if cluster.isRunning {
            try createDatabaseIfNeeded(Self.databaseName, in: cluster)
            return (cluster, false)
        }
        progress.step(zh: "启动内置 PostgreSQL（\(clusterDirectory)）", en: "starting the embedded PostgreSQL (\(clusterDirectory))")
        // Started here rather than by `cluster.start()`, whose Foundation.Process leaks a descriptor
        // into the server and then waits for the server to exit (see Spawn).
        let options = "-p \(Self.port) -k '\(clusterDirectory)' -c listen_addresses=''"
        let result = try Spawn.run(cluster.binDirectory + "/pg_ctl",
                                   ["-D", cluster.dataDirectory, "-w", "-t", "60", "-l", cluster.logFile, "-o", options, "start"],
                                   asPostgres: true)
        guard result.status == 0 else {
            throw CLIError(.database, progress.lang.pick(zh: "无法启动内置 PostgreSQL（日志：\(cluster.logFile)）：\(result.output)",
                                                     en: "cannot start the embedded PostgreSQL (log: \(cluster.logFile)): \(result.output)"))
        }
        try createDatabaseIfNeeded(Self.databaseName, in: cluster)
        return (cluster, true)
    }

    /// Creates a database in the running cluster unless it exists.
    func createDatabaseIfNeeded(_ name: String, in cluster: LocalCluster) throws(CLIError) {
        do {
            let connection = try PostgresConnection(configuration: cluster.configuration(database: "postgres"))
            defer { connection.close() }
            let found = try connection.execute("SELECT 1 FROM pg_database WHERE datname = $1", [.text(name)])
            if found.rows.isEmpty { try cluster.createDatabase(name) }
        } catch {
            throw CLIError(.database, "cannot create database \(name) in the embedded PostgreSQL: \(error)")
        }
    }

    /// Drops a database of the running cluster if it exists (the demo's own database).
    func dropDatabaseIfExists(_ name: String, in cluster: LocalCluster) throws(CLIError) {
        do {
            let connection = try PostgresConnection(configuration: cluster.configuration(database: "postgres"))
            defer { connection.close() }
            try connection.execute("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)")
        } catch {
            throw CLIError(.database, "cannot drop database \(name): \(error)")
        }
    }
}
