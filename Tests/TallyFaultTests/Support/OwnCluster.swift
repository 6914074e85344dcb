import Foundation
import TallyStore
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// A PostgreSQL cluster of the test's own (not the shared test cluster), so that it can be stopped
/// and restarted in any shutdown mode. fsync stays on: an immediate shutdown must not lose commits.
final class OwnCluster: Sendable {
    let cluster: LocalCluster
    let database: PostgresConfiguration

    init() throws {
        let directory = try PostgresTool.makeDirectory("tally-fault")
        cluster = try LocalCluster.create(directory: directory, port: LocalCluster.freePort(), fsync: true)
        try cluster.start()
        try cluster.createDatabase("tally")
        database = cluster.configuration(database: "tally")
    }

    /// Wraps a cluster made elsewhere (a standby), already started.
    init(started cluster: LocalCluster) {
        self.cluster = cluster
        database = cluster.configuration(database: "tally")
    }

    /// `pg_ctl stop -m MODE` (fast: sessions disconnected, clean; immediate: like a crash).
    func stop(mode: String) throws { try pgctl(["-D", cluster.dataDirectory, "-m", mode, "-w", "-t", "60", "stop"]) }

    /// Starts it again (crash recovery after an immediate stop).
    func start() throws { try cluster.start() }

    /// `pg_ctl restart -m MODE`.
    func restart(mode: String) throws {
        try stop(mode: mode)
        try start()
    }

    /// Stops it and deletes its directory.
    func destroy() {
        try? stop(mode: "immediate")
        try? FileManager.default.removeItem(atPath: cluster.directory)
    }

    func pgctl(_ arguments: [String]) throws {
        try PostgresTool.run(cluster.binDirectory, "pg_ctl", arguments)
    }
}
