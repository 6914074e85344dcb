import Foundation
import TallyStore
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// The test process's one database server: a throwaway cluster or an external server.
final class TestPostgres: @unchecked Sendable {
    // @unchecked Sendable: `server`, `failure`, `counter`, `createdDatabases` are guarded by `lock`.
    static let shared = TestPostgres()

    private enum Server {
        case external(PostgresConfiguration)
        case cluster(LocalCluster, registryFile: String)
    }

    private let lock = NSLock()
    private var server: Server?
    private var failure: String?
    private var counter = 0
    private var createdDatabases: [String] = []
    private var hooksInstalled = false

    func freshDatabase(for function: String) throws -> PostgresConfiguration {
        try lock.withLock {
            let server = try ensureServer()
            counter += 1
            let name = Self.databaseName(function, counter)
            switch server {
            case .external(let configuration):
                let connection = try PostgresConnection(configuration: configuration)
                defer { connection.close() }
                try connection.execute("CREATE DATABASE \(try connection.quoteIdentifier(name))")
                createdDatabases.append(name)
                return try configuration.database(name)
            case .cluster(let cluster, _):
                try cluster.createDatabase(name)
                return cluster.configuration(database: name)
            }
        }
    }

    func administration() throws -> PostgresConfiguration {
        try lock.withLock {
            switch try ensureServer() {
            case .external(let configuration): return configuration
            case .cluster(let cluster, _): return cluster.configuration(database: "postgres")
            }
        }
    }

    /// Stops and deletes the cluster (or drops the databases made on an external server).
    /// `useTools` false (at exit) stops the server with a signal instead of running pg_ctl.
    func shutdown(useTools: Bool) {
        lock.withLock {
            guard let server else { return }
            self.server = nil
            failure = "the test database server was already shut down"
            switch server {
            case .external(let configuration):
                guard useTools, let connection = try? PostgresConnection(configuration: configuration) else { return }
                for name in createdDatabases {
                    if let quoted = try? connection.quoteIdentifier(name) {
                        _ = try? connection.execute("DROP DATABASE IF EXISTS \(quoted) WITH (FORCE)")
                    }
                }
                connection.close()
            case .cluster(let cluster, let registryFile):
                if !useTools || (try? cluster.stop()) == nil {
                    ClusterRegistry.kill(serverPID: cluster.serverPID)
                }
                try? FileManager.default.removeItem(atPath: cluster.directory)
                try? FileManager.default.removeItem(atPath: registryFile)
            }
        }
    }

    /// Caller holds `lock`.
    private func ensureServer() throws -> Server {
        if let server { return server }
        if let failure { throw TestDatabaseError(message: failure) }
        do {
            let server = try startServer()
            self.server = server
            installHooks()
            return server
        } catch {
            let message = "no PostgreSQL server for tests: \(error)"
            failure = message
            throw TestDatabaseError(message: message)
        }
    }

    private func startServer() throws -> Server {
        if let url = ProcessInfo.processInfo.environment[TestDatabase.environmentVariable], !url.isEmpty {
            let configuration = PostgresConfiguration(conninfo: url)
            let connection = try PostgresConnection(configuration: configuration)  // fail early, clearly
            connection.close()
            return .external(configuration)
        }
        ClusterRegistry.stopLeftoverClusters()
        var template = Array((NSTemporaryDirectory() + "/tally-test-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw TestDatabaseError(message: "cannot create a temporary directory (errno \(errno))")
        }
        let directory = String(cString: made)
        var lastError: Error?
        for _ in 0..<3 {  // a port found free may be taken before the server binds it
            do {
                let cluster = try LocalCluster.create(directory: directory, port: LocalCluster.freePort(), fsync: false)
                try cluster.start()
                let registryFile = try ClusterRegistry.record(directory: directory)
                return .cluster(cluster, registryFile: registryFile)
            } catch {
                lastError = error
                guard "\(error)".contains("could not bind") || "\(error)".contains("already in use") else { break }
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
        throw lastError ?? TestDatabaseError(message: "cannot start a PostgreSQL cluster")
    }

    /// Stops the cluster when the test bundle finishes, and at process exit as a fallback.
    private func installHooks() {
        guard !hooksInstalled else { return }
        hooksInstalled = true
        XCTestObservationCenter.shared.addTestObserver(BundleObserver())
        atexit { TestPostgres.shared.shutdown(useTools: false) }
    }

    /// `t_<test name>_<pid>_<n>`, lower case, at most 63 bytes.
    static func databaseName(_ function: String, _ counter: Int) -> String {
        let letters = function.lowercased().unicodeScalars.map { scalar -> Character in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
        }
        let base = String(String(letters).split(separator: "_").joined(separator: "_").prefix(36))
        return "t_\(base)_\(getpid())_\(counter)"
    }
}

/// Stops the throwaway cluster once all tests of the bundle have run (pass or fail).
private final class BundleObserver: NSObject, XCTestObservation {
    func testBundleDidFinish(_ testBundle: Bundle) {
        TestPostgres.shared.shutdown(useTools: true)
    }
}
