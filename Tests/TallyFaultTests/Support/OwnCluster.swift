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
        var template = Array((NSTemporaryDirectory() + "/tally-fault-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw NSError(domain: "OwnCluster", code: Int(errno)) }
        let directory = String(cString: made)
        chmod(directory, 0o755)
        cluster = try LocalCluster.create(directory: directory, port: LocalCluster.freePort(), fsync: true)
        try cluster.start()
        try cluster.createDatabase("tally")
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

    private func pgctl(_ arguments: [String]) throws {
        let process = Process()
        if getuid() == 0 {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", "postgres", "--", cluster.binDirectory + "/pg_ctl"] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: cluster.binDirectory + "/pg_ctl")
            process.arguments = arguments
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "OwnCluster", code: Int(process.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: "pg_ctl \(arguments.joined(separator: " ")) failed"])
        }
    }
}
