import Foundation
import Synchronization
import TallyStore
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// The test process's one database server: a throwaway cluster or an external server.
final class TestPostgres: Sendable {
    static let shared = TestPostgres()

    private enum Server: Sendable {
        case external(PostgresConfiguration)
        case cluster(LocalCluster, registryFile: String)
    }

    /// Everything below changes under one lock: tests start in parallel and the first one starts the server.
    private struct State {
        var server: Server?
        var failure: String?
        var counter = 0
        var createdDatabases: [String] = []
        var hooksInstalled = false
    }

    private let state = Mutex(State())

    func freshDatabase(for function: String) throws -> PostgresConfiguration {
        try state.withLock { state in
            let server = try Self.ensureServer(&state)
            state.counter += 1
            let name = Self.databaseName(function, state.counter)
            switch server {
            case .external(let configuration):
                let connection = try PostgresConnection(configuration: configuration)
                defer { connection.close() }
                try connection.execute("CREATE DATABASE \(try connection.quoteIdentifier(name))")
                state.createdDatabases.append(name)
                return try configuration.database(name)
            case .cluster(let cluster, _):
                try cluster.createDatabase(name)
                return cluster.configuration(database: name)
            }
        }
    }

    func administration() throws -> PostgresConfiguration {
        try state.withLock { state in
            switch try Self.ensureServer(&state) {
            case .external(let configuration): return configuration
            case .cluster(let cluster, _): return cluster.configuration(database: "postgres")
            }
        }
    }

    /// Stops and deletes the cluster (or drops the databases made on an external server).
    /// `useTools` false (at exit) stops the server with a signal instead of running pg_ctl.
    func shutdown(useTools: Bool) {
        state.withLock { state in
            guard let server = state.server else { return }
            state.server = nil
            state.failure = "the test database server was already shut down"
            switch server {
            case .external(let configuration):
                guard useTools, let connection = try? PostgresConnection(configuration: configuration) else { return }
                for name in state.createdDatabases {
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

    /// The server, started at the first call (under the state's lock).
    private static func ensureServer(_ state: inout State) throws -> Server {
        if let server = state.server { return server }
        if let failure = state.failure { throw TestDatabaseError(message: failure) }
        do {
            let server = try startServer()
            state.server = server
            if !state.hooksInstalled {
                state.hooksInstalled = true
                installHooks()
            }
            return server
        } catch {
            let message = "no PostgreSQL server for tests: \(error)"
            state.failure = message
            throw TestDatabaseError(message: message)
        }
    }

    private static func startServer() throws -> Server {
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
    private static func installHooks() {
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
