import Foundation
import TallyStore
import XCTest

/// A primary and a streaming standby made from it with pg_basebackup, with synchronous replication on:
/// a commit is acknowledged only once the standby has it, so a failover loses nothing acknowledged.
final class ReplicatedPair: @unchecked Sendable {  // immutable after init
    static let standbyName = "tally_standby"
    let primary: OwnCluster
    let standby: OwnCluster

    init() throws {
        primary = try OwnCluster()
        do {
            let directory = try PostgresTool.makeDirectory("tally-standby")
            let source = primary.cluster
            try PostgresTool.run(source.binDirectory, "pg_basebackup", [
                "-D", directory + "/data", "-h", source.directory, "-p", "\(source.port)", "-U", "postgres",
                "-X", "stream", "-c", "fast", "-R",
                "-d", "application_name=\(Self.standbyName)",
            ])
            // pg_basebackup -R wrote standby.signal and primary_conninfo (with our application_name).
            let cluster = try LocalCluster.create(directory: directory, port: LocalCluster.freePort(), fsync: true)
            try cluster.start()
            standby = OwnCluster(started: cluster)
        } catch {
            primary.destroy()
            throw error
        }
        try turnOnSynchronousReplication()
    }

    /// Names the standby in synchronous_standby_names and waits until the primary reports it as sync.
    private func turnOnSynchronousReplication() throws {
        let admin = primary.cluster.configuration(database: "postgres")
        let connection = try PostgresConnection(configuration: admin)
        defer { connection.close() }
        try connection.execute("ALTER SYSTEM SET synchronous_standby_names = '\(Self.standbyName)'")
        try connection.execute("ALTER SYSTEM SET synchronous_commit = 'on'")
        try connection.execute("SELECT pg_reload_conf()")
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let state = try connection.execute(
                "SELECT sync_state FROM pg_stat_replication WHERE application_name = $1", [.text(Self.standbyName)])
            if let row = state.rows.first, try row.decode(String.self, at: 0) == "sync" { return }
            Thread.sleep(forTimeInterval: 0.05)  // no event to wait for: the primary's view is polled
        }
        throw NSError(domain: "ReplicatedPair", code: 1, userInfo: [
            NSLocalizedDescriptionKey: "the standby never became a synchronous standby within 30 s"])
    }

    /// The multi-host URL Tally is given: libpq tries both and keeps the one that accepts writes.
    var failoverURL: PostgresConfiguration {
        PostgresConfiguration(conninfo:
            "postgresql://postgres@127.0.0.1:\(primary.cluster.port),127.0.0.1:\(standby.cluster.port)/tally"
            + "?target_session_attrs=read-write")
    }

    /// Promotes the standby to primary (pg_ctl promote -w: returns once it accepts writes).
    func promoteStandby() throws {
        try standby.pgctl(["-D", standby.cluster.dataDirectory, "-w", "-t", "60", "promote"])
    }

    func destroy() {
        standby.destroy()
        primary.destroy()
    }
}
