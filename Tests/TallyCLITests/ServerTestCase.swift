import Foundation
import TallyServerTestSupport
import TallyTestSupport
import XCTest

/// A test case with a `tally serve` on a fresh database for each test, and helpers to make
/// credentials and run `tally` against it.
class ServerTestCase: XCTestCase {
    private(set) var server: ServeProcess?
    private(set) var database = ""

    override func setUpWithError() throws {
        database = try TestDatabase.fresh().conninfo
        server = try ServeProcess(database: database, environment: CLIProcess.environment(), directory: CLIProcess.scratchDirectory)
    }

    override func tearDown() {
        server?.stop()
        server = nil
    }

    var address: String { server?.address ?? "" }

    /// A new credential's token, made with `tally credential create`.
    func token(role: String, department: String? = nil, name: String = "test") throws -> String {
        var arguments = ["credential", "create", "--database", database, "--name", name, "--role", role, "--token-only"]
        if let department { arguments += ["--department", department] }
        let result = try CLIProcess.run(arguments)
        XCTAssertEqual(result.status, 0, result.stderr)
        let token = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(token.isEmpty)
        return token
    }

    /// Runs `tally arguments... --server ADDRESS --token TOKEN`.
    func tally(_ arguments: [String], token: String?) throws -> CLIResult {
        try CLIProcess.run(arguments + ["--server", address] + (token.map { ["--token", $0] } ?? []))
    }
}
