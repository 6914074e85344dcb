import Foundation
import TallyServerTestSupport
import TallyTestSupport
import XCTest

/// `tally warnings` and `tally rank` against a `tally serve` pinned to 2023-11-27, and the warning
/// thresholds taken from the server's settings (`--warn-*`), not from the code.
final class InsightCommandTests: XCTestCase {
    /// A server on a fresh database, pinned to 2023-11-27, with `extra` flags; and a central token.
    private func serve(_ extra: [String] = []) throws -> (server: ServeProcess, token: String) {
        let database = try TestDatabase.fresh().conninfo
        let server = try ServeProcess(database: database, extraArguments: ["--pin-now", "2023-11-27"] + extra,
                                      environment: CLIProcess.environment(), directory: CLIProcess.scratchDirectory)
        addTeardownBlock { server.stop() }
        let result = try CLIProcess.run(["credential", "create", "--database", database, "--name", "office",
                                         "--role", "central", "--token-only"])
        XCTAssertEqual(result.status, 0, result.stderr)
        return (server, result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func testWarningsAndRankPrintWhatTheServerComputes() throws {
        let (server, token) = try serve()
        let warnings = try CLIProcess.run(["warnings", "--server", server.address, "--token", token])
        XCTAssertEqual(warnings.status, 0, warnings.stderr)
        XCTAssertTrue(warnings.stdout.contains("[no report] 隐珠街道 (2023-10)"), warnings.stdout)
        XCTAssertTrue(warnings.stdout.contains("[red periods running] 隐珠街道 yinzhu/industry/fixed-asset-investment"), warnings.stdout)
        XCTAssertTrue(warnings.stdout.contains("[project stalled] 海洋高新区 p-sdic-belt-road-fund-hq"), warnings.stdout)
        let yinzhu = try CLIProcess.run(["warnings", "--department", "yinzhu", "--server", server.address, "--token", token])
        XCTAssertFalse(yinzhu.stdout.contains("海洋高新区"), yinzhu.stdout)

        let rank = try CLIProcess.run(["rank", "--server", server.address, "--token", token])
        XCTAssertEqual(rank.status, 0, rank.stderr)
        XCTAssertTrue(rank.stdout.contains("Ranking 2023-11"), rank.stdout)
        XCTAssertTrue(rank.stdout.contains("Order: pace first"), "the rule beside the table: \(rank.stdout)")
        let rows = rank.stdout.split(separator: "\n").filter { $0.contains("海洋高新区") || $0.contains("隐珠街道") }
        XCTAssertEqual(rows.count, 2, rank.stdout)
        let october = try CLIProcess.run(["rank", "--period", "2023-10", "--server", server.address, "--token", token])
        XCTAssertTrue(october.stdout.contains("Ranking 2023-10"), october.stdout)
        let future = try CLIProcess.run(["rank", "--period", "2023-12", "--server", server.address, "--token", token])
        XCTAssertNotEqual(future.status, 0)
        XCTAssertTrue(future.stderr.contains("2023-12 has not begun"), future.stderr)
    }

    func testThresholdsComeFromTheServersSettings() throws {
        // 27 November is 35 days before the milestone date: warned by default (60 days), not with 30.
        let (server, token) = try serve(["--warn-milestone-days", "30", "--warn-report-grace-days", "30"])
        let warnings = try CLIProcess.run(["warnings", "--server", server.address, "--token", token])
        XCTAssertEqual(warnings.status, 0, warnings.stderr)
        XCTAssertFalse(warnings.stdout.contains("[project stalled]"), warnings.stdout)
        // October was due on 6 November; with 30 days' grace, September (due 6 October) is the latest.
        XCTAssertTrue(warnings.stdout.contains("[no report] 隐珠街道 (2023-09)"), warnings.stdout)
    }
}
