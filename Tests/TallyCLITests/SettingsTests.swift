import XCTest

/// Settings precedence (flag > environment > file > default) and error exits, seen through `tally config`.
final class SettingsTests: XCTestCase {
    private func directory(config: String?) throws -> URL {
        let url = CLIProcess.scratchDirectory.appendingPathComponent("settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if let config { try Data(config.utf8).write(to: url.appendingPathComponent("tally.conf")) }
        return url
    }

    func testFlagBeatsEnvironmentBeatsFileBeatsDefault() throws {
        let dir = try directory(config: "server = file.example:1\ntoken = \"file-token-123\"\ndatabase = postgres://file/db\n")
        let env = ["TALLY_SERVER": "env.example:2", "TALLY_DATABASE_URL": "postgres://u:secret@env/db"]
        let result = try CLIProcess.run(["config", "--server", "flag.example:3"], environment: env, directory: dir)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("server = flag.example:3    (flag)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("token = file…    (file)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("database = postgres://u:***@env/db    (environment)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("lang = en    (environment)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("home = \(CLIProcess.scratchDirectory.path)/.local/share/tally    (default)"), result.stdout)
        XCTAssertFalse(result.stdout.contains("secret"))

        let fileOnly = try CLIProcess.run(["config"], directory: dir)
        XCTAssertTrue(fileOnly.stdout.contains("server = file.example:1    (file)"), fileOnly.stdout)
        let none = try CLIProcess.run(["config"], directory: try directory(config: nil))
        XCTAssertTrue(none.stdout.contains("server = 127.0.0.1:7411    (default)"), none.stdout)
    }

    func testExplicitConfigFileAndItsErrors() throws {
        let dir = try directory(config: nil)
        let file = dir.appendingPathComponent("other.conf")
        try Data("# comment\nlang = zh\nsever = typo\n".utf8).write(to: file)
        let bad = try CLIProcess.run(["config", "--config", file.path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("other.conf:3: unknown key `sever`"), bad.stderr)
        let missing = try CLIProcess.run(["config", "--config", dir.appendingPathComponent("nope.conf").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("config file not found"), missing.stderr)
    }

    func testUnreachableServerAndMissingTokenHaveTheirExitCodes() throws {
        let unreachable = try CLIProcess.run(["dashboard", "--once", "--server", "127.0.0.1:1", "--token", "x"])
        XCTAssertEqual(unreachable.status, 3, unreachable.stderr)
        XCTAssertTrue(unreachable.stderr.contains("cannot reach 127.0.0.1:1"), unreachable.stderr)
        XCTAssertFalse(unreachable.stderr.contains("RPCError("), "no Swift dump")

        let noToken = try CLIProcess.run(["list"])
        XCTAssertEqual(noToken.status, 4)
        XCTAssertTrue(noToken.stderr.contains("no token"), noToken.stderr)
    }

    func testBadValuesAreUsageErrors() throws {
        for arguments in [["dashboard", "--as-of", "2023-13-45"], ["report", "target", "a", "--add", "1,5"],
                          ["report", "target", "a", "--set", "1", "--add", "2"], ["report", "project", "p", "--stage", "dreaming"],
                          ["report", "project", "p", "--stage", "signed", "--correction"], ["dashboard", "--lang", "fr", "--once"]] {
            let result = try CLIProcess.run(arguments)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.stderr)")
            XCTAssertFalse(result.stderr.isEmpty)
        }
    }
}
