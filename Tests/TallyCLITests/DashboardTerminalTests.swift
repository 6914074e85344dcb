import Foundation
import TallyPresentation
import TallyTestSupport
import XCTest

/// `tally dashboard` in a real terminal (tmux) at 80×24 and 200×50: the summary shows first and
/// whole, every line fits, columns stay apart in both languages, and keys page the sections.
final class DashboardTerminalTests: ServerTestCase {
    /// This test's tmux server socket; a new one for each terminal size, because a tmux server whose
    /// last session ended exits, and a session started on it meanwhile is lost.
    private var socket = DashboardTerminalTests.newSocketName()

    private static func newSocketName() -> String { "tally-test-\(getpid())-\(UUID().uuidString.prefix(8))" }

    override func tearDown() {
        _ = try? tmux(["kill-server"])
        super.tearDown()
    }

    func testSummaryFitsEightyByTwentyFourAndKeysPageTheSections() throws {
        let token = try centralToken()
        try start(width: 80, height: 24, lang: "zh", token: token)
        let summary = try waitForScreen { $0.contains { $0.contains("海洋高新区") } && $0.contains { $0.contains("隐珠街道") } }
        XCTAssertTrue(summary[0].contains("[1 概览]"), summary.joined(separator: "\n"))
        XCTAssertTrue(summary.contains { $0.contains("创新突破年") }, "the title stays on screen")
        XCTAssertTrue(summary.contains { $0.contains("全区总体") })
        XCTAssertTrue(summary.contains { $0.contains("本期") })
        try expectFits(summary, width: 80)
        try expectColumnsApart(summary, names: ["全区总体", "海洋高新区", "隐珠街道"], standings: ["已完成", "正常", "预警", "滞后"])

        try tmux(["send-keys", "-t", "dash", "2"])
        let departments = try waitForScreen { $0.first?.contains("[2 部门条线]") ?? false }
        XCTAssertTrue(departments.contains { $0.contains("总部引领") }, "lines under their department")
        try expectFits(departments, width: 80)
        try tmux(["send-keys", "-t", "dash", "Right"])
        let targets = try waitForScreen { $0.first?.contains("[3 指标]") ?? false }
        try expectFits(targets, width: 80)
        try tmux(["send-keys", "-t", "dash", "q"])
    }

    func testEnglishAtEightyByTwentyFourAndChineseAtTwoHundredByFifty() throws {
        let token = try centralToken()
        try start(width: 80, height: 24, lang: "en", token: token)
        let english = try waitForScreen { $0.contains { $0.contains("Overall") } && $0.contains { $0.contains("隐珠街道") } }
        XCTAssertTrue(english[0].contains("[1 summary]"), english.joined(separator: "\n"))
        try expectFits(english, width: 80)
        try expectColumnsApart(english, names: ["Overall", "海洋高新区", "隐珠街道"], standings: ["met", "on track", "amber", "behind"])
        _ = try? tmux(["kill-server"])
        socket = Self.newSocketName()

        try start(width: 200, height: 50, lang: "zh", token: token)
        let wide = try waitForScreen { $0.contains { $0.contains("隐珠街道") } }
        XCTAssertTrue(wide.contains { $0.contains("达成") && $0.contains("全区总体") }, "the counts column shows when there is room")
        try expectFits(wide, width: 200)
        try expectColumnsApart(wide, names: ["全区总体", "海洋高新区", "隐珠街道"], standings: ["已完成", "正常", "预警", "滞后"])
    }

    // MARK: helpers

    private func centralToken() throws -> String {
        try token(role: "central", name: "wall")
    }

    private func start(width: Int, height: Int, lang: String, token: String) throws {
        let binary = try CLIProcess.binary().path
        let command = "env TALLY_LANG=\(lang) NO_COLOR=1 TERM=xterm-256color \(binary) dashboard --server \(address) --token \(token) --as-of 2023-11-27; sleep 60"
        try tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", "dash", command])
    }

    /// The pane's lines once `ready` holds (no event tells when a terminal has drawn: poll, bounded).
    private func waitForScreen(_ ready: ([String]) -> Bool) throws -> [String] {
        let deadline = Date().addingTimeInterval(60)
        var lines: [String] = []
        while Date() < deadline {
            lines = try tmux(["capture-pane", "-p", "-t", "dash"]).components(separatedBy: "\n")
            if ready(lines) { return lines }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTFail("screen never got ready:\n\(lines.joined(separator: "\n"))")
        return lines
    }

    private func expectFits(_ lines: [String], width: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        for text in lines where DisplayWidth.of(text) > width {
            XCTFail("wider than \(width): \(text)", file: file, line: line)
        }
    }

    /// On each named row, the percent and the standing are separate columns with a space between.
    private func expectColumnsApart(_ lines: [String], names: [String], standings: [String],
                                    file: StaticString = #filePath, line: UInt = #line) throws {
        for name in names {
            guard let row = lines.first(where: { $0.hasPrefix(name) }) else {
                XCTFail("no row for \(name)", file: file, line: line)
                continue
            }
            let pattern = "^\(NSRegularExpression.escapedPattern(for: name)) +[█░]+ +[0-9.]+%  (\(standings.joined(separator: "|")))( |$)"
            XCTAssertNotNil(row.range(of: pattern, options: .regularExpression), "columns run together: \(row)", file: file, line: line)
        }
    }

    /// Runs tmux on this test's own server socket through /bin/sh and waits for the client with
    /// waitpid (Foundation's Process also waits for the tmux server the first client forks).
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let output = CLIProcess.scratchDirectory.appendingPathComponent("tmux-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let quoted = (["tmux", "-L", socket] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = "TERM=xterm-256color " + quoted.joined(separator: " ") + " </dev/null >'\(output.path)' 2>/dev/null"
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { throw CocoaError(.executableLoad) }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    }
}
