import TallyTestSupport

@testable import TallyStore

/// Two connections to one fresh database, for tests in which one session acts on the other
/// (terminates it, notifies it, races it); both are closed when `body` returns.
func withTwoSessions(_ body: (PostgresConnection, PostgresConnection) throws -> Void) throws {
    let configuration = try TestDatabase.fresh()
    let first = try PostgresConnection(configuration: configuration)
    defer { first.close() }
    let second = try PostgresConnection(configuration: configuration)
    defer { second.close() }
    try body(first, second)
}
