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

    /// Resolves and, for the embedded cluster, starts the database. Only the commands that make a
    /// database (`serve`, `migrate`, `seed`, `demo`) pass `mayCreate`; the others refuse a home
    /// without a cluster instead of quietly making an empty one.
    static func open(_ settings: Settings, progress: ProgressReporter, mayCreate: Bool) throws(CLIError) -> DatabaseTarget {
        if let url = settings.database.value {
            return DatabaseTarget(configuration: PostgresConfiguration(conninfo: url), embedded: nil, cluster: nil, startedHere: false)
        }
        let embedded = EmbeddedDatabase(home: settings.home.value ?? Settings.defaultHome([:]))
        if !mayCreate && !embedded.exists {
            throw CLIError(.noDatabase, settings.language.pick(
                zh: "\(embedded.home) 下没有 Tally 数据库；请先运行 `tally serve`，或用 --database 指定数据库（或用 --home / TALLY_HOME 指向已有的目录）",
                en: "no Tally database at \(embedded.home); start `tally serve` first or pass --database (or --home / TALLY_HOME for another home)"))
        }
        let (cluster, started) = try embedded.startIfNeeded(progress: progress)
        return DatabaseTarget(configuration: cluster.configuration(database: EmbeddedDatabase.databaseName),
                              embedded: embedded, cluster: cluster, startedHere: started)
    }

    /// Stops the embedded server if this command started it.
    func close(progress: ProgressReporter) {
        guard startedHere, let cluster else { return }
        progress.step(zh: "停止内置 PostgreSQL", en: "stopping the embedded PostgreSQL")
        do {
            try cluster.stop()
        } catch {
            Console.err(progress.lang.pick(zh: "无法停止内置 PostgreSQL：\(error)", en: "cannot stop the embedded PostgreSQL: \(error)"))
        }
    }

    /// Runs `body` with the database open, and closes it afterwards whatever happens.
    static func with<T>(_ settings: Settings, progress: ProgressReporter, mayCreate: Bool,
                        _ body: (DatabaseTarget) async throws -> T) async throws -> T {
        let target = try open(settings, progress: progress, mayCreate: mayCreate)
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
