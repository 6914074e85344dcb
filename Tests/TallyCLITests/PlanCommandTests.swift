import Foundation
import XCTest

/// `tally plan` against a real `tally serve`: export, validate (errors with file, line and field),
/// diff in words, apply, and what a non-admin token gets.
final class PlanCommandTests: ServerTestCase {
    /// `tally ARGS --lang en` against the test server.
    private func tally(_ arguments: [String], token: String) throws -> CLIResult {
        try tally(arguments + ["--lang", "en"], token: Optional(token))
    }

    /// Schema/plan-2023.json, read from the source tree.
    private var plan2023: String {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            return try String(contentsOf: root.appendingPathComponent("Schema/plan-2023.json"), encoding: .utf8)
        }
    }

    func testExportValidateDiffAndApplyFromTheCommandLine() throws {
        let admin = try token(role: "admin")
        let file = CLIProcess.scratchDirectory.appendingPathComponent("plan-2023-\(UUID().uuidString).json").path
        let exported = try tally(["plan", "export", "--campaign", "2023", "--output", file], token: admin)
        XCTAssertEqual(exported.status, 0, exported.stderr)
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), try plan2023)

        let valid = try CLIProcess.run(["plan", "validate", file, "--lang", "en"])
        XCTAssertEqual(valid.status, 0, valid.stderr)
        XCTAssertTrue(valid.stdout.contains("valid · 2023 创新突破年"), valid.stdout)
        let same = try tally(["plan", "diff", file], token: admin)
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertTrue(same.stdout.contains("no changes"), same.stdout)

        let renamed = try plan2023.replacingOccurrences(of: "\"name\": \"新引进总部项目\"", with: "\"name\": \"新引进总部项目（含央企）\"")
        try renamed.write(toFile: file, atomically: true, encoding: .utf8)
        let diff = try tally(["plan", "diff", file], token: admin)
        XCTAssertTrue(diff.stdout.contains("change target marine-hitech/hq/new-hq-projects: name 新引进总部项目 → 新引进总部项目（含央企）"), diff.stdout)
        let chinese = try CLIProcess.run(["plan", "diff", file, "--lang", "zh", "--server", address, "--token", admin])
        XCTAssertTrue(chinese.stdout.contains("修改指标 marine-hitech/hq/new-hq-projects：name 新引进总部项目 → 新引进总部项目（含央企）"),
                      "the diff in the clerk's language: \(chinese.stdout)")
        let apply = try tally(["plan", "apply", file], token: admin)
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertTrue(apply.stdout.contains("applied: change target"), apply.stdout)
        let after = try tally(["plan", "export", "--campaign", "2023"], token: admin)
        XCTAssertTrue(after.stdout.contains("新引进总部项目（含央企）"))

        let central = try token(role: "central")
        let refused = try tally(["plan", "diff", file], token: central)
        XCTAssertEqual(refused.status, 4, refused.stderr)
    }

    /// Tests/Fixtures/plan-2024.json: a small 2024 plan (two departments, four targets, three projects).
    private var plan2024File: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/plan-2024.json").path
    }

    func testA2024PlanBeside2023FromTheCommandLine() throws {
        let admin = try token(role: "admin")
        let central = try token(role: "central")
        let valid = try CLIProcess.run(["plan", "validate", plan2024File, "--lang", "en"])
        XCTAssertEqual(valid.status, 0, valid.stderr)
        XCTAssertTrue(valid.stdout.contains("valid · 2024 创新突破年 · 3 departments, 2 lines, 13 periods, 4 targets, 2 batches, 3 projects"), valid.stdout)
        let diff = try tally(["plan", "diff", plan2024File], token: admin)
        XCTAssertEqual(diff.status, 0, diff.stderr)
        XCTAssertTrue(diff.stdout.contains("add target 2024/yinzhu/industry/fixed-asset-investment 固定资产投资"), diff.stdout)
        let apply = try tally(["plan", "apply", plan2024File], token: admin)
        XCTAssertEqual(apply.status, 0, apply.stderr)
        let exported = try tally(["plan", "export", "--campaign", "2024"], token: admin)
        XCTAssertEqual(exported.stdout, try String(contentsOfFile: plan2024File, encoding: .utf8), "round-trips byte for byte")
        let of2023 = try tally(["plan", "export", "--campaign", "2023"], token: admin)
        XCTAssertEqual(of2023.stdout, try plan2023, "2023 untouched beside it")

        // The central office lists one campaign at a time: today the latest finished, 2024.
        let latest = try tally(["list"], token: central)
        XCTAssertEqual(latest.status, 0, latest.stderr)
        XCTAssertTrue(latest.stdout.hasPrefix("The 2024 plan"), latest.stdout)
        XCTAssertTrue(latest.stdout.contains("p-2024-marine-biotech-park"), latest.stdout)
        XCTAssertFalse(latest.stdout.contains("p-shengyuan-liquid-protein"), latest.stdout)
        let listed2023 = try tally(["list", "--campaign", "2023", "--department", "yinzhu"], token: central)
        XCTAssertTrue(listed2023.stdout.hasPrefix("The 2023 plan"), listed2023.stdout)
        XCTAssertTrue(listed2023.stdout.contains("p-shengyuan-liquid-protein"), listed2023.stdout)
        XCTAssertFalse(listed2023.stdout.contains("2024/"), listed2023.stdout)

        // A new batch names its campaign.
        let batch = ["admin", "batch", "2024/yinzhu/industry/extra", "--department", "yinzhu", "--line", "yinzhu/industry",
                     "--name", "新签约项目", "--planned-count", "2", "--milestone", "signed"]
        let unnamed = try tally(batch, token: admin)
        XCTAssertNotEqual(unnamed.status, 0)
        XCTAssertTrue(unnamed.stderr.contains("campaign"), unnamed.stderr)
        let named = try tally(batch + ["--campaign", "2024"], token: admin)
        XCTAssertEqual(named.status, 0, named.stderr)
        let withBatch = try tally(["list", "--campaign", "2024", "--department", "yinzhu"], token: central)
        XCTAssertTrue(withBatch.stdout.contains("2024/yinzhu/industry/extra"), withBatch.stdout)

        // yinzhu's own share of the project marine-hitech leads, beside the lead's figure.
        let yinzhu = try token(role: "department", department: "yinzhu")
        let share = try tally(["report", "project", "p-2024-marine-biotech-park", "--share", "1.5"], token: yinzhu)
        XCTAssertEqual(share.status, 0, share.stderr)
        let shown = try tally(["list", "--department", "marine-hitech"], token: central)
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.contains("隐珠街道 1.5亿元"), shown.stdout)
        let overwrite = try tally(["report", "project", "p-2024-marine-biotech-park", "--investment", "9"], token: yinzhu)
        XCTAssertEqual(overwrite.status, 4, overwrite.stderr)
        XCTAssertTrue(overwrite.stderr.contains("marine-hitech"), overwrite.stderr)
    }

    func testABadFileNamesFileLineAndField() throws {
        let broken = try plan2023.replacingOccurrences(of: "\"unit\": \"个\",\n      \"direction\": \"at_least\",\n      \"target_figure\": \"3\"",
                                                       with: "\"unit\": \"个\",\n      \"direction\": \"sideways\",\n      \"target_figure\": \"3\"")
        XCTAssertNotEqual(broken, try plan2023)
        let file = CLIProcess.scratchDirectory.appendingPathComponent("broken-\(UUID().uuidString).json").path
        try broken.write(toFile: file, atomically: true, encoding: .utf8)
        let line = (broken.components(separatedBy: "\n").firstIndex { $0.contains("sideways") } ?? -2) + 1
        let result = try CLIProcess.run(["plan", "validate", file, "--lang", "en"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("\(file):\(line): targets[0].direction"), result.stderr)

        // A check's finding, said in Chinese with the same file, line and field.
        let outside = try plan2023.replacingOccurrences(of: "\"code\": \"2023-01\"", with: "\"code\": \"2022-01\"")
        try outside.write(toFile: file, atomically: true, encoding: .utf8)
        let chinese = try CLIProcess.run(["plan", "validate", file, "--lang", "zh"])
        XCTAssertEqual(chinese.status, 1)
        XCTAssertTrue(chinese.stderr.contains("\(file):131：periods[1].code：期间 2022-01 不在 2023 年度内"), chinese.stderr)
    }
}
