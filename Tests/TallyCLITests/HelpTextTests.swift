import XCTest

/// Pins the help texts: every subcommand is listed, exit codes are documented, examples exist.
final class HelpTextTests: XCTestCase {
    static let subcommands = ["serve", "migrate", "seed", "credential", "report", "register", "list", "history",
                              "import", "admin", "dashboard", "export", "demo", "config", "dispatch", "inbox", "answer", "review",
                              "warnings", "rank"]
    static let nested = ["credential create", "credential list", "credential revoke", "report target", "report project",
                         "admin department", "admin target", "admin batch", "admin project",
                         "dispatch create", "dispatch list", "dispatch close", "review list", "review accept", "review return"]

    func testRootHelpListsEverySubcommandAndExitCode() throws {
        let result = try CLIProcess.run(["--help"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.hasPrefix("OVERVIEW: Report and watch the New Area's yearly 创新突破年 campaigns."))
        let listed = result.stdout.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        for name in Self.subcommands {
            XCTAssertNotNil(listed.range(of: "\n  \(name) ", options: .literal), "`\(name)` missing from --help")
        }
        for code in ["0  success", "1  usage", "2  the server rejected", "3  unreachable", "4  authentication", "5  database", "6  no database", "7  cannot listen"] {
            XCTAssertTrue(result.stdout.contains(code), "exit code line `\(code)` missing")
        }
    }

    func testEverySubcommandHasHelpWithAnExample() throws {
        for command in Self.subcommands + Self.nested {
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

    /// Examples are indented; a line the help printer wrapped starts at column 0 in the middle of
    /// a command, which a reader copying it would get wrong.
    func testExamplesAreNeverWrappedInTheMiddleOfACommand() throws {
        for command in [""] + Self.subcommands + Self.nested {
            let arguments = command.split(separator: " ").map(String.init) + ["--help"]
            let help = try CLIProcess.run(arguments).stdout
            var inExample = false
            for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("Example") { inExample = true; continue }
                if line.isEmpty || line.hasPrefix("USAGE") { inExample = false; continue }
                if inExample {
                    XCTAssertTrue(line.hasPrefix("  "), "`tally \(command) --help` wraps an example: `\(line)`")
                }
            }
        }
    }

    func testServeHelpGivesItsDefaultOnce() throws {
        let help = try CLIProcess.run(["serve", "--help"]).stdout
        XCTAssertEqual(help.components(separatedBy: "127.0.0.1:7411").count - 1, 2, "once in the text, once as --listen's default:\n\(help)")
        let listen = help.components(separatedBy: "--listen <listen>").last ?? ""
        XCTAssertEqual(listen.prefix(200).components(separatedBy: "7411").count - 1, 1, "--listen states its default once")
    }

    func testAMistypedCommandSuggestsTheRightOne() throws {
        let result = try CLIProcess.run(["lisst"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("did you mean `list`?"), result.stderr)
        let far = try CLIProcess.run(["frobnicate"])
        XCTAssertEqual(far.status, 1)
        XCTAssertFalse(far.stderr.contains("did you mean"), far.stderr)
    }
}
