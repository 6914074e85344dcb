import XCTest

/// Pins the help texts: every subcommand is listed, exit codes are documented, examples exist.
final class HelpTextTests: XCTestCase {
    static let subcommands = ["serve", "migrate", "seed", "credential", "report", "list", "import",
                              "dashboard", "export", "demo", "config"]

    func testRootHelpListsEverySubcommandAndExitCode() throws {
        let result = try CLIProcess.run(["--help"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.hasPrefix("OVERVIEW: Report and watch the progress of the 2023 创新突破年 campaign."))
        let listed = result.stdout.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        for name in Self.subcommands {
            XCTAssertNotNil(listed.range(of: "\n  \(name) ", options: .literal), "`\(name)` missing from --help")
        }
        for code in ["0  success", "1  usage", "2  the server rejected", "3  unreachable", "4  authentication", "5  database"] {
            XCTAssertTrue(result.stdout.contains(code), "exit code line `\(code)` missing")
        }
    }

    func testEverySubcommandHasHelpWithAnExample() throws {
        let nested = ["credential create", "credential list", "credential revoke", "report target", "report project"]
        for command in Self.subcommands + nested {
            let result = try CLIProcess.run(command.split(separator: " ").map(String.init) + ["--help"])
            XCTAssertEqual(result.status, 0, command)
            XCTAssertTrue(result.stdout.contains("Example"), "`tally \(command) --help` has no example")
            XCTAssertTrue(result.stdout.contains("USAGE: tally \(command)"), "`tally \(command) --help` usage line")
        }
    }

    func testUnknownFlagIsAUsageError() throws {
        let result = try CLIProcess.run(["dashboard", "--no-such-flag"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("--no-such-flag"), result.stderr)
    }
}
