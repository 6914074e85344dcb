import Foundation
import TallyCore
import TallyStore

/// The database a benchmark runs on: a throwaway cluster made for the run (synchronous_commit on,
/// fsync on), or one given by URL. Stopped and removed at the end when it was made here.
final class BenchDatabase: Sendable {
    let conninfo: String
    private let cluster: LocalCluster?
    private let directory: String?

    /// Uses `conninfo`, or creates, starts and migrates a throwaway cluster when it is nil.
    init(conninfo given: String?, log: (String) -> Void) throws {
        if let given {
            conninfo = given
            cluster = nil
            directory = nil
        } else {
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("tally-bench-\(ProcessInfo.processInfo.processIdentifier)").path
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
            let port = try ServerProcess.freePort()
            log("creating a throwaway PostgreSQL cluster in \(path) (port \(port), fsync on, synchronous_commit on)")
            let made = try LocalCluster.create(directory: path, port: port, fsync: true)
            try made.start()
            do {
                try made.createDatabase("tally_bench")
            } catch {
                try? made.stop()
                throw error
            }
            cluster = made
            directory = path
            conninfo = made.conninfo(database: "tally_bench")
        }
        let configuration = PostgresConfiguration(conninfo: conninfo)
        _ = try TallyDatabase.migrate(configuration)
        try TallyDatabase.seed(configuration)
    }

    /// The postmaster of the throwaway cluster (nil for a database given by URL).
    var postmasterPID: Int32? { cluster?.serverPID }

    var configuration: PostgresConfiguration { PostgresConfiguration(conninfo: conninfo) }

    /// Opens a connection of its own (one thread at a time).
    func connect() throws -> PostgresConnection {
        try PostgresConnection(configuration: configuration)
    }

    /// The change log's last sequence.
    func headSequence() throws -> Int64 {
        let connection = try connect()
        defer { connection.close() }
        let result = try connection.execute("SELECT sequence FROM change_log_head WHERE id = 1")
        guard let row = result.rows.first else { throw BenchError("change_log_head has no row") }
        return try row.decode(Int64.self, at: 0)
    }

    /// The current figure of each target, by id, as whole numbers.
    func figures(_ ids: [String]) throws -> [String: Int] {
        let connection = try connect()
        defer { connection.close() }
        var figures: [String: Int] = [:]
        for row in try connection.execute("SELECT id, current_figure::text FROM targets WHERE id LIKE 'bench-%'").rows {
            let id = try row.decode(String.self, at: 0)
            let text = try row.decode(String.self, at: 1)
            guard let value = Int(text) else { throw BenchError("target \(id) holds \(text), not a whole number") }
            figures[id] = value
        }
        for id in ids where figures[id] == nil { throw BenchError("target \(id) is missing") }
        return figures
    }

    /// Brings the database to the same state before every measured phase, as pgbench vacuums before
    /// its runs: the dead rows the last phase left (every update leaves one in `targets`) vacuumed,
    /// and a checkpoint, so no phase pays for another's cleanup or starts halfway to a checkpoint.
    /// The checkpoint needs a superuser (or pg_checkpoint) and is skipped without one.
    func settle() throws {
        let connection = try connect()
        defer { connection.close() }
        try connection.execute("VACUUM (ANALYZE)")
        _ = try? connection.execute("CHECKPOINT")
    }

    /// Stops and removes the throwaway cluster, if this run made one.
    func close() {
        guard let cluster, let directory else { return }
        try? cluster.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
