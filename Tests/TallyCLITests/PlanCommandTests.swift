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
        let apply = try tally(["plan", "apply", file], token: admin)
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertTrue(apply.stdout.contains("applied: change target"), apply.stdout)
        let after = try tally(["plan", "export", "--campaign", "2023"], token: admin)
        XCTAssertTrue(after.stdout.contains("新引进总部项目（含央企）"))

        let central = try token(role: "central")
        let refused = try tally(["plan", "diff", file], token: central)
        XCTAssertEqual(refused.status, 4, refused.stderr)
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
    }
}
