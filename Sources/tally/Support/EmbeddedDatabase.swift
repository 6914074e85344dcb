import Foundation
import TallyStore

/// A PostgreSQL cluster of Tally's own under `$TALLY_HOME` (default ./.tally), made from the
/// system's PostgreSQL binaries: data in `HOME/pg`, its unix socket in the same directory, port
/// 7432, no TCP listener. Commands start it when it is not running and stop it only if they started it.
struct EmbeddedDatabase: Sendable {
    static let port = 7432
    static let databaseName = "tally"

    let home: String
    var dataDirectory: String { home + "/pg" }
    var logFile: String { dataDirectory + "/server.log" }

    /// Uses the cluster under `home` (relative paths are resolved against the working directory).
    init(home: String) {
        let url = URL(fileURLWithPath: home, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        self.home = url.standardizedFileURL.path
    }

    /// The connection settings of a database in this cluster.
    func configuration(database: String = EmbeddedDatabase.databaseName) -> PostgresConfiguration {
        PostgresConfiguration(conninfo: "host=\(dataDirectory) port=\(Self.port) user=postgres dbname=\(database)")
    }

    /// Whether the cluster has been created.
    var exists: Bool { FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") }

    /// Whether the cluster's server is running.
    func isRunning() throws(CLIError) -> Bool {
        guard exists else { return false }
        return try Subprocess.run(try Self.binary("pg_ctl"), ["-D", dataDirectory, "status"], asPostgres: true).status == 0
    }

    /// Creates the cluster if needed and starts it if it is not running.
    /// - Returns: true when this call started the server (the caller then stops it).
    func startIfNeeded(progress: ProgressReporter) throws(CLIError) -> Bool {
        if !exists { try create(progress: progress) }
        if try isRunning() { return false }
        progress.step("starting embedded PostgreSQL in \(dataDirectory) (port \(Self.port))")
        let options = "-p \(Self.port) -k \(dataDirectory) -c listen_addresses=''"
        let result = try Subprocess.run(try Self.binary("pg_ctl"),
                                        ["-D", dataDirectory, "-w", "-t", "60", "-l", logFile, "-o", options, "start"],
                                        asPostgres: true)
        guard result.status == 0 else {
            throw CLIError(.database, "cannot start embedded PostgreSQL (see \(logFile)): \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        try createDatabaseIfNeeded(Self.databaseName)
        return true
    }

    /// Stops the cluster's server (fast shutdown: open sessions are ended).
    func stop() throws(CLIError) {
        let result = try Subprocess.run(try Self.binary("pg_ctl"), ["-D", dataDirectory, "-m", "fast", "-w", "stop"], asPostgres: true)
        guard result.status == 0 else {
            throw CLIError(.database, "cannot stop embedded PostgreSQL: \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    /// Creates a database in the running cluster unless it exists.
    func createDatabaseIfNeeded(_ name: String) throws(CLIError) {
        let query = try Subprocess.run(try Self.binary("psql"),
            ["-h", dataDirectory, "-p", "\(Self.port)", "-U", "postgres", "-d", "postgres", "-tAc",
             "SELECT 1 FROM pg_database WHERE datname = '\(name)'"], asPostgres: true)
        if query.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1" { return }
        let result = try Subprocess.run(try Self.binary("createdb"),
                                        ["-h", dataDirectory, "-p", "\(Self.port)", "-U", "postgres", name], asPostgres: true)
        guard result.status == 0 else {
            throw CLIError(.database, "cannot create database \(name): \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    /// Drops a database of the running cluster if it exists (used by the demo for its own database).
    func dropDatabaseIfExists(_ name: String) throws(CLIError) {
        let result = try Subprocess.run(try Self.binary("dropdb"),
            ["-h", dataDirectory, "-p", "\(Self.port)", "-U", "postgres", "--if-exists", "--force", name], asPostgres: true)
        guard result.status == 0 else {
            throw CLIError(.database, "cannot drop database \(name): \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    private func create(progress: ProgressReporter) throws(CLIError) {
        progress.step("creating embedded PostgreSQL cluster in \(dataDirectory)")
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            // initdb runs as `postgres` when we are root: it must own the directory and reach it.
            try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: home)
            try manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dataDirectory)
            if Subprocess.isRoot {
                try manager.setAttributes([.ownerAccountName: "postgres", .groupOwnerAccountName: "postgres"],
                                          ofItemAtPath: dataDirectory)
            }
        } catch {
            throw CLIError(.database, "cannot prepare \(dataDirectory): \(error.localizedDescription)")
        }
        let result = try Subprocess.run(try Self.binary("initdb"),
            ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], asPostgres: true)
        guard result.status == 0 else {
            throw CLIError(.database, "initdb failed: \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    /// Finds a PostgreSQL program: the newest /usr/lib/postgresql/N/bin, then PATH.
    static func binary(_ name: String) throws(CLIError) -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted(by: >)
        for version in versions {
            let path = "\(root)/\(version)/bin/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw CLIError(.database, "PostgreSQL's \(name) was not found: install the server (apt-get install -y postgresql) or give --database URL")
    }
}
