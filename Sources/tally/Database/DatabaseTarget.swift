import Foundation
import TallyStore

/// The database a command uses: `--database` / TALLY_DATABASE_URL / config `database`, or else the
/// embedded cluster under $TALLY_HOME, started for the command if it was not running.
struct DatabaseTarget: Sendable {
    var configuration: PostgresConfiguration
    /// The embedded cluster when no database was configured.
    var embedded: EmbeddedDatabase?
    /// The running embedded cluster.
    var cluster: LocalCluster?
    /// Whether this command started the embedded server (and so must stop it).
    var startedHere: Bool

    /// Resolves and, for the embedded cluster, starts the database.
    static func open(_ settings: Settings, progress: ProgressReporter) throws(CLIError) -> DatabaseTarget {
        if let url = settings.database.value {
            return DatabaseTarget(configuration: PostgresConfiguration(conninfo: url), embedded: nil, cluster: nil, startedHere: false)
        }
        let embedded = EmbeddedDatabase(home: settings.home.value ?? ".tally")
        let (cluster, started) = try embedded.startIfNeeded(progress: progress)
        return DatabaseTarget(configuration: cluster.configuration(database: EmbeddedDatabase.databaseName),
                              embedded: embedded, cluster: cluster, startedHere: started)
    }

    /// Stops the embedded server if this command started it.
    func close(progress: ProgressReporter) {
        guard startedHere, let cluster else { return }
        progress.step("stopping the embedded PostgreSQL")
        do {
            try cluster.stop()
        } catch {
            Console.err("cannot stop the embedded PostgreSQL: \(error)")
        }
    }

    /// Runs `body` with the database open, and closes it afterwards whatever happens.
    static func with<T>(_ settings: Settings, progress: ProgressReporter,
                        _ body: (DatabaseTarget) async throws -> T) async throws -> T {
        let target = try open(settings, progress: progress)
        do {
            let result = try await body(target)
            target.close(progress: progress)
            return result
        } catch {
            target.close(progress: progress)
            throw error
        }
    }

    /// A description that shows no password, for messages.
    var displayName: String {
        if let embedded { return "embedded PostgreSQL (\(embedded.clusterDirectory), unix socket only)" }
        return Self.redacted(configuration.conninfo)
    }

    /// Hides the password of a URL or conninfo string.
    static func redacted(_ conninfo: String) -> String {
        if var components = URLComponents(string: conninfo), components.scheme?.hasPrefix("postgres") == true {
            if components.password != nil { components.password = "***" }
            return components.string ?? conninfo
        }
        return conninfo.split(separator: " ").map { $0.hasPrefix("password=") ? "password=***" : String($0) }
            .joined(separator: " ")
    }
}
