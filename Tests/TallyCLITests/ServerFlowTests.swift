import Foundation
import TallyServerTestSupport
import TallyStore
import TallyTestSupport
import XCTest

/// The CLI against a real `tally serve` on a fresh database: credentials, reports, imports,
/// dashboard, exports, and what a wrong token gets.
final class ServerFlowTests: ServerTestCase {
    /// The dashboard as JSON, read through `tally export --format json` (now: figures as reported).
    private func dashboard(_ central: String) throws -> [String: Any] {
        let result = try tally(["export", "--format", "json"], token: central)
        XCTAssertEqual(result.status, 0, result.stderr)
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    /// The targets of one department: id -> (name, current figure).
    private func targets(_ central: String, department: String) throws -> [(id: String, name: String, current: Decimal)] {
        let departments = try dashboard(central)["departments"] as? [[String: Any]] ?? []
        let summary = departments.first { ($0["department"] as? [String: Any])?["code"] as? String == department }
        let statuses = summary?["targets"] as? [[String: Any]] ?? []
        return statuses.compactMap { status in
            guard let target = status["target"] as? [String: Any], let id = target["id"] as? String else { return nil }
            return (id, target["name"] as? String ?? "", Decimal(string: target["currentFigure"] as? String ?? "0") ?? 0)
        }
    }

    private func current(_ central: String, _ department: String, _ id: String) throws -> Decimal? {
        try targets(central, department: department).first { $0.id == id }?.current
    }

    // MARK: tests

    func testReportShowsOnTheDashboard() throws {
        let central = try token(role: "central")
        let clerk = try token(role: "department", department: "yinzhu")
        let target = try XCTUnwrap(try targets(central, department: "yinzhu").first, "the seeded plan has yinzhu targets")

        let report = try tally(["report", "target", target.id, "--add", "2", "--note", "cli test"], token: clerk)
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("Reported \(target.id)"), report.stdout)
        XCTAssertEqual(try current(central, "yinzhu", target.id), target.current + 2)

        let once = try tally(["dashboard", "--once", "--all-targets", "--as-of", "2023-11-27"], token: central)
        XCTAssertEqual(once.status, 0, once.stderr)
        XCTAssertTrue(once.stdout.contains(target.name), once.stdout)
        XCTAssertTrue(once.stdout.contains("as of 2023-11-27"), once.stdout)
        XCTAssertFalse(once.stdout.contains("\u{1B}["), "no colours when not a terminal")

        let listed = try tally(["list"], token: clerk)
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.contains(target.id), listed.stdout)
        // The campaign listed, and the other departments of shared projects by name (ListMine's partners).
        XCTAssertTrue(listed.stdout.hasPrefix("The 2023 plan\n\n隐珠街道 (yinzhu)\n"), listed.stdout)
        let shared = try XCTUnwrap(listed.stdout.split(separator: "\n").first { $0.hasPrefix("p-shengyuan-liquid-protein ") })
        XCTAssertTrue(shared.contains("海洋高新区 (with 隐珠街道)"), String(shared))
        XCTAssertFalse(listed.stdout.contains("marine-hitech"), listed.stdout)
    }

    func testImportAppliesAllRowsOrNone() throws {
        let central = try token(role: "central")
        let clerk = try token(role: "department", department: "yinzhu")
        let list = try targets(central, department: "yinzhu")
        XCTAssertGreaterThanOrEqual(list.count, 2)
        let (first, second) = (list[0], list[1])

        let bad = CLIProcess.scratchDirectory.appendingPathComponent("bad-\(UUID().uuidString).csv")
        try Data("类型,编号,数值,方式,备注\n指标,\(first.id),1,增加,ok\n指标,\(second.id),x,增加,bad\n".utf8).write(to: bad)
        let rejected = try tally(["import", bad.path], token: clerk)
        XCTAssertEqual(rejected.status, 1)
        XCTAssertTrue(rejected.stderr.contains("\(bad.path):3: value `x` is not a number"), rejected.stderr)
        XCTAssertEqual(try current(central, "yinzhu", first.id), first.current, "nothing applied")

        let good = CLIProcess.scratchDirectory.appendingPathComponent("good-\(UUID().uuidString).csv")
        try (Data([0xEF, 0xBB, 0xBF]) + Data("type,id,value,mode,note\ntarget,\(first.id),1,add,\"a, b\"\ntarget,\(second.id),3,add,\n".utf8)).write(to: good)
        let accepted = try tally(["import", good.path], token: clerk)
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
        XCTAssertEqual(try current(central, "yinzhu", first.id), first.current + 1)
        XCTAssertEqual(try current(central, "yinzhu", second.id), second.current + 3)

        // The server rejects an unknown id: the whole report is refused, nothing applied.
        let unknown = CLIProcess.scratchDirectory.appendingPathComponent("unknown-\(UUID().uuidString).csv")
        try Data("type,id,value,mode\ntarget,\(first.id),1,add\ntarget,yinzhu/no-such-target,1,add\n".utf8).write(to: unknown)
        let refused = try tally(["import", unknown.path], token: clerk)
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("nothing was applied"), refused.stderr)
        XCTAssertEqual(try current(central, "yinzhu", first.id), first.current + 1)
    }

    func testHTMLExportHoldsTheFigures() throws {
        let central = try token(role: "central")
        let clerk = try token(role: "department", department: "marine-hitech")
        let target = try XCTUnwrap(try targets(central, department: "marine-hitech").first)
        XCTAssertEqual(try tally(["report", "target", target.id, "--set", "7"], token: clerk).status, 0)

        let file = CLIProcess.scratchDirectory.appendingPathComponent("dashboard-\(UUID().uuidString).html")
        let result = try tally(["export", "--format", "html", "--output", file.path, "--lang", "zh"], token: central)
        XCTAssertEqual(result.status, 0, result.stderr)
        let html = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<svg"), "inline charts")
        XCTAssertTrue(html.contains("海洋高新区"))
        XCTAssertTrue(html.contains(HTMLEscape(target.name)))
        XCTAssertTrue(html.contains("<td class=\"n\">7</td>"), "the reported figure")
        XCTAssertTrue(html.contains("2023 年度已结束 · 最终状态"), "today the 2023 campaign is over")
        XCTAssertFalse(html.contains("<script"), "no script")
        XCTAssertFalse(html.contains("src=\"http"), "no network")

        let csv = try tally(["export", "--format", "csv"], token: central)
        XCTAssertEqual(csv.status, 0, csv.stderr)
        XCTAssertTrue(csv.stdout.contains("\(target.id),"), csv.stdout)
    }

    func testWrongTokenRevokedTokenAndOtherDepartmentAreRefused() throws {
        let wrong = try tally(["dashboard", "--once"], token: "not-a-token")
        XCTAssertEqual(wrong.status, 4, wrong.stderr)
        XCTAssertTrue(wrong.stderr.hasPrefix("authentication failed"), wrong.stderr)

        let central = try token(role: "central")
        let yinzhu = try token(role: "department", department: "yinzhu", name: "revoke-me")
        let marineTarget = try XCTUnwrap(try targets(central, department: "marine-hitech").first)
        let foreign = try tally(["report", "target", marineTarget.id, "--add", "1"], token: yinzhu)
        XCTAssertEqual(foreign.status, 4, foreign.stderr)
        XCTAssertTrue(foreign.stderr.contains("permission denied"), foreign.stderr)

        let listed = try CLIProcess.run(["credential", "list", "--database", database])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let line = try XCTUnwrap(listed.stdout.split(separator: "\n").first { $0.contains("revoke-me") })
        let id = String(line.split(separator: " ")[0])
        let revoked = try CLIProcess.run(["credential", "revoke", id, "--database", database])
        XCTAssertEqual(revoked.status, 0, revoked.stderr)
        let after = try tally(["list"], token: yinzhu)
        XCTAssertEqual(after.status, 4, after.stderr)
    }

    private func HTMLEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
