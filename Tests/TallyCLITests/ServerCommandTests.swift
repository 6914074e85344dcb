import Foundation
import XCTest

/// The commands added for issue 13 and the errors it named, against a real `tally serve`:
/// history, register, admin, the central list, re-imports, no-op reports, and messages in one language.
final class ServerCommandTests: ServerTestCase {
    private func tally(_ arguments: [String], _ token: String) throws -> CLIResult {
        try tally(arguments, token: token)
    }

    private func csv(_ text: String) throws -> String {
        let url = try CLIProcess.freshDirectory("import").appendingPathComponent("report.csv")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testHistoryShowsWhoWhenAndLabelsAsTextAndCSV() throws {
        let clerk = try token(role: "department", department: "yinzhu", name: "隐珠统计员王芳")
        let target = "yinzhu/industry/specialized-smes"
        XCTAssertEqual(try tally(["report", "target", target, "--add", "3", "--note", "第一批"], clerk).status, 0)
        XCTAssertEqual(try tally(["report", "target", target, "--add", "-1", "--note", "更正"], clerk).status, 0)

        let text = try tally(["history", target], clerk)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("current figure: 3 → 2"), text.stdout)
        XCTAssertTrue(text.stdout.contains("更正") && text.stdout.contains("隐珠街道"), "the department by name: \(text.stdout)")
        XCTAssertTrue(text.stdout.contains("Period"), "the period each change counts for: \(text.stdout)")
        XCTAssertTrue(text.stdout.contains("隐珠统计员王芳"), "who, by the credential's name: \(text.stdout)")
        XCTAssertFalse(text.stdout.contains(" c-"), "no credential ids: \(text.stdout)")
        XCTAssertFalse(text.stdout.contains("current_figure"), "labels, not column names")
        let lines = text.stdout.split(separator: "\n")
        XCTAssertLessThan(lines.firstIndex { $0.contains("3 → 2") } ?? 99, lines.firstIndex { $0.contains("0 → 3") } ?? -1, "newest first")

        let csv = try tally(["history", target, "--format", "csv"], clerk)
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let rows = csv.stdout.replacingOccurrences(of: "\u{FEFF}", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(rows.first, "sequence,committed,department,credential,field,old_value,new_value,note,request_id,period,credential_name")
        XCTAssertEqual(rows.count, 3, csv.stdout)
        XCTAssertTrue(rows.dropFirst().allSatisfy { $0.hasSuffix(",隐珠统计员王芳") && $0.contains(",c-") }, csv.stdout)

        let central = try token(role: "central")
        XCTAssertEqual(try tally(["history", target], central).status, 0, "the central office reads any history")
        let foreign = try tally(["history", "marine-hitech/hq/new-hq-projects"], clerk)
        XCTAssertEqual(foreign.status, 4, foreign.stderr)
    }

    func testRegisterAdminAndTheCentralList() throws {
        let clerk = try token(role: "department", department: "yinzhu")
        let central = try token(role: "central")
        let registered = try tally(["register", "yinzhu/industry/landing-projects", "--name", "测试项目", "--project-id", "p-cli-test",
                                    "--planned-investment", "2.5"], clerk)
        XCTAssertEqual(registered.status, 0, registered.stderr)
        XCTAssertTrue(registered.stdout.contains("Registered p-cli-test"), registered.stdout)
        XCTAssertTrue(try tally(["list"], clerk).stdout.contains("p-cli-test"))

        let department = try tally(["admin", "department", "cli-test-dept", "--name", "测试街道", "--kind", "subdistrict"], central)
        XCTAssertEqual(department.status, 0, department.stderr)
        let line = try tally(["admin", "target", "cli-test-dept/x/first", "--department", "cli-test-dept", "--line", "yinzhu/industry",
                              "--name", "测试指标", "--unit", "个", "--figure", "4"], central)
        XCTAssertEqual(line.status, 0, line.stderr)
        XCTAssertTrue(line.stdout.contains("Saved target cli-test-dept/x/first"), line.stdout)
        XCTAssertEqual(try tally(["admin", "department", "x", "--name", "y"], clerk).status, 4, "a clerk does not change the plan")

        let whole = try tally(["list"], central)
        XCTAssertEqual(whole.status, 0, whole.stderr)
        for expected in ["海洋高新区 (marine-hitech)", "隐珠街道 (yinzhu)", "测试街道 (cli-test-dept)", "cli-test-dept/x/first", "Lead", "p-cli-test"] {
            XCTAssertTrue(whole.stdout.contains(expected), "`\(expected)` in:\n\(whole.stdout)")
        }
        // A project yinzhu co-reports shows who leads it.
        let yinzhu = try tally(["list", "--department", "yinzhu"], central)
        let shared = try XCTUnwrap(yinzhu.stdout.split(separator: "\n").first { $0.contains("p-shengyuan-liquid-protein") })
        XCTAssertTrue(shared.contains("海洋高新区"), String(shared))
        let mine = try tally(["list"], clerk)
        let sharedMine = try XCTUnwrap(mine.stdout.split(separator: "\n").first { $0.contains("p-shengyuan-liquid-protein") })
        XCTAssertTrue(sharedMine.contains("海洋高新区"), String(sharedMine))
        XCTAssertEqual(try tally(["list", "--department", "nope"], central).status, 2)
    }

    func testReimportReplaysAgainCountsTwiceAndServerErrorsAreSaidOnce() throws {
        let clerk = try token(role: "department", department: "yinzhu")
        let central = try token(role: "central")
        let target = "yinzhu/industry/high-tech-enterprises"
        let file = try csv("类型,编号,数值,方式\n指标,\(target),3,增加\n")
        let first = try tally(["import", file], clerk)
        XCTAssertEqual(first.status, 0, first.stderr)
        let again = try tally(["import", file], clerk)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("already imported on 20"), again.stdout)
        let colleague = try tally(["import", file], try token(role: "department", department: "yinzhu", name: "colleague"))
        XCTAssertEqual(colleague.status, 0, colleague.stderr)
        XCTAssertTrue(colleague.stdout.contains("already imported on 20"), "another clerk's credential: \(colleague.stdout)")
        XCTAssertTrue(try tally(["history", target], central).stdout.contains("0 → 3"))
        XCTAssertFalse(try tally(["history", target], central).stdout.contains("3 → 6"), "the re-import counted nothing")
        let deliberate = try tally(["import", file, "--again"], clerk)
        XCTAssertEqual(deliberate.status, 0, deliberate.stderr)
        XCTAssertTrue(try tally(["history", target], central).stdout.contains("3 → 6"), "--again counts it once more")

        let unknown = try csv("type,id,value,mode\ntarget,\(target),1,add\ntarget,yinzhu/no-such-target,1,add\n")
        let refused = try tally(["import", unknown], clerk)
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertEqual(refused.stderr.components(separatedBy: "does not exist").count - 1, 1, "said once:\n\(refused.stderr)")
        XCTAssertTrue(refused.stderr.contains("\(unknown):3:"), "with the row's line:\n\(refused.stderr)")
        XCTAssertTrue(refused.stderr.contains("nothing was applied"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains("--request-id"), "a retry cannot fix an unknown id:\n\(refused.stderr)")
        let chinese = try tally(["import", unknown, "--lang", "zh"], clerk)
        XCTAssertEqual(chinese.status, 2, chinese.stderr)
        XCTAssertTrue(chinese.stderr.contains("\(unknown) 第 3 行：未找到：第 2 项更新（共 2 项）：指标“yinzhu/no-such-target”不存在"),
                      "the row's line whatever the language:\n\(chinese.stderr)")
    }

    func testResendingAProjectsValuesIsANoOp() throws {
        let clerk = try token(role: "department", department: "yinzhu")
        let project = "p-dongjiazhuang-village"
        let first = try tally(["report", "project", project, "--stage", "signed"], clerk)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("version 2"), first.stdout)
        let same = try tally(["report", "project", project, "--stage", "signed"], clerk)
        XCTAssertEqual(same.status, 0, same.stderr)
        XCTAssertTrue(same.stdout.hasPrefix("unchanged:"), same.stdout)
        XCTAssertTrue(same.stdout.contains("(version 2)"), "the version did not move: \(same.stdout)")
        let history = try tally(["history", project, "--format", "csv"], clerk).stdout
        XCTAssertEqual(history.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count, 2, "one change logged:\n\(history)")
        let foreign = try tally(["report", "project", "p-special-medical-food-valley", "--stage", "planned"], try token(role: "department", department: "marine-hitech"))
        XCTAssertEqual(foreign.status, 4, "a no-op never skips the permission check: \(foreign.stdout)")
    }

    func testUnknownCredentialRevokeIsNotFound() throws {
        let result = try CLIProcess.run(["credential", "revoke", "c-nonexist", "--database", database])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("not found"), result.stderr)
    }

    func testMessagesComeInOneLanguage() throws {
        let clerk = try token(role: "department", department: "yinzhu")
        let foreign = ["report", "target", "marine-hitech/hq/new-hq-projects", "--add", "1"]
        let zh = try tally(foreign + ["--lang", "zh"], clerk)
        XCTAssertEqual(zh.status, 4)
        XCTAssertTrue(zh.stderr.contains("权限不足：指标“marine-hitech/hq/new-hq-projects”属于海洋高新区"), zh.stderr)
        for english in ["belongs", "credential", "reports for"] { XCTAssertFalse(zh.stderr.contains(english), zh.stderr) }
        let en = try tally(foreign + ["--lang", "en"], clerk)
        XCTAssertEqual(en.status, 4)
        XCTAssertTrue(en.stderr.contains("belongs to 海洋高新区 (marine-hitech); this credential reports for 隐珠街道 (yinzhu)"), en.stderr)
        XCTAssertFalse(en.stderr.contains("属于") || en.stderr.contains("权限"), en.stderr)

        let central = try token(role: "central")
        let dashboard = try tally(["dashboard", "--once", "--as-of", "2023-06-30", "--lang", "en"], central)
        XCTAssertEqual(dashboard.status, 0, dashboard.stderr)
        for line in dashboard.stdout.split(separator: "\n") where line.contains("met ") {
            XCTAssertFalse(line.contains("…"), "a column was cut and runs into the next: \(line)")
            XCTAssertFalse(line.contains("亿元"), "English money in English: \(line)")
        }
    }
}
