import Foundation
import TallyStore
import XCTest

/// Fresh PostgreSQL databases for tests.
///
/// Each call of `fresh()` creates a new, empty database. They all live on ONE throwaway cluster
/// per test process (initdb'd in a temporary directory on a free port with fsync off, started on
/// first use, stopped and deleted when the test bundle finishes or the process exits), or on the
/// server named by the environment variable `TALLY_TEST_DATABASE_URL` when it is set.
/// When no server can be had, `fresh()` throws an error saying why, so the test fails (never skips).
/// Safe to call from concurrent tests.
public enum TestDatabase {
    /// The environment variable naming an existing server to use instead of a throwaway cluster.
    public static let environmentVariable = "TALLY_TEST_DATABASE_URL"

    /// A configuration for a new, empty database named after the calling test.
    public static func fresh(function: String = #function) throws -> PostgresConfiguration {
        try TestPostgres.shared.freshDatabase(for: function)
    }

    /// The configuration of the server's `postgres` database (for admin work in tests).
    public static func administration() throws -> PostgresConfiguration {
        try TestPostgres.shared.administration()
    }

    /// Stops the throwaway cluster and removes its directory now (also done automatically).
    public static func shutdown() {
        TestPostgres.shared.shutdown(useTools: true)
    }
}

/// Why no test database could be had.
public struct TestDatabaseError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
