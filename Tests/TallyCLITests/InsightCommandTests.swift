import Foundation
import TallyServerTestSupport
import TallyTestSupport
import XCTest

/// `tally warnings` and `tally rank` against a `tally serve` pinned to 2023-11-27, and the warning
/// thresholds taken from the server's settings (`--warn-*`), not from the code.
final class InsightCommandTests: XCTestCase {
    /// A server on a fresh database, pinned to 2023-11-27, with `extra` flags; and a central token.
    private func serve(_ extra: [String] = []) throws -> (server: ServeProcess, token: String) {
        let (server, token, _) = try CLIProcess.serve(["--pin-now", "2023-11-27"] + extra, role: "central")
        addTeardownBlock { server.stop() }
        return (server, token)
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
        // In Chinese, the figures behind each warning too (the server sends them in English).
        let chinese = try CLIProcess.run(["warnings", "--lang", "zh", "--server", server.address, "--token", token])
        XCTAssertEqual(chinese.status, 0, chinese.stderr)
        XCTAssertTrue(chinese.stdout.contains("[逾期未报] 隐珠街道 (2023-10)：2023-10 的月报未报，应于 2023-11-06 00:00 前报送"), chinese.stdout)
        XCTAssertTrue(chinese.stdout.contains("[项目停滞] 海洋高新区 p-sdic-belt-road-fund-hq：当前阶段 计划，应于 2024-01-01 00:00 前达到 在建"), chinese.stdout)
        XCTAssertTrue(chinese.stdout.contains("[连续红灯] 隐珠街道 yinzhu/industry/fixed-asset-investment：完成度 "), chinese.stdout)
        for english in ["no report for", "completion", "elapsed", "milestone"] {
            XCTAssertFalse(chinese.stdout.contains(english), "\(english): \(chinese.stdout)")
        }

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

    func testThresholdsComeFromThePlanFile() throws {
        // 27 November is 35 days before the milestone date: warned with the plan's 60 days, not with 30.
        let (server, token) = try serve()
        let database = server.process.arguments?.drop { $0 != "--database" }.dropFirst().first ?? ""
        let made = try CLIProcess.run(["credential", "create", "--database", database, "--name", "admin", "--role", "admin", "--token-only"])
        let admin = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let before = try CLIProcess.run(["warnings", "--server", server.address, "--token", token])
        XCTAssertTrue(before.stdout.contains("[project stalled]"), before.stdout)
        let file = CLIProcess.scratchDirectory.appendingPathComponent("plan-\(UUID().uuidString).json").path
        let exported = try CLIProcess.run(["plan", "export", "--campaign", "2023", "--output", file, "--server", server.address, "--token", admin])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "\"milestone_days\": 60", with: "\"milestone_days\": 30")
            .replacingOccurrences(of: "\"report_grace_days\": 0", with: "\"report_grace_days\": 30")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let diff = try CLIProcess.run(["plan", "diff", file, "--server", server.address, "--token", admin])
        XCTAssertTrue(diff.stdout.contains("milestone_days: 30"), diff.stdout)
        let applied = try CLIProcess.run(["plan", "apply", file, "--server", server.address, "--token", admin])
        XCTAssertEqual(applied.status, 0, applied.stderr)
        let after = try CLIProcess.run(["warnings", "--server", server.address, "--token", token])
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertFalse(after.stdout.contains("[project stalled]"), after.stdout)
        // October was due on 6 November; with 30 days' grace, September (due 6 October) is the latest.
        XCTAssertTrue(after.stdout.contains("[no report] 隐珠街道 (2023-09)"), after.stdout)
    }
}
