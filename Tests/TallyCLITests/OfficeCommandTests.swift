import Foundation
import TallyServerTestSupport
import TallyTestSupport
import XCTest

/// The central office's commands against a real `tally serve`: a 调度 request answered with a
/// report, the report returned with a comment and corrected by an import that names it.
final class OfficeCommandTests: ServerTestCase {
    static let target = "yinzhu/industry/fixed-asset-investment"

    func testADispatchRoundAndAReturnThroughTheCommandLine() throws {
        let central = try token(role: "central")
        let clerk = try token(role: "department", department: "yinzhu")

        let created = try tally(["dispatch", "create", "--title", "报送投资进度", "--to", "yinzhu", "--to", "marine-hitech",
                                 "--due", "2099-06-15 18:00", "--about", Self.target], token: central)
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertTrue(created.stdout.contains("Sent dispatch D1"), created.stdout)
        XCTAssertTrue(created.stdout.contains("2099-06-15 18:00"), created.stdout)
        let refused = try tally(["dispatch", "create", "--title", "越权", "--to", "yinzhu", "--due", "2099-06-15"], token: clerk)
        XCTAssertEqual(refused.status, 4, "a department may not issue one: \(refused.stderr)")

        let inbox = try tally(["inbox"], token: clerk)
        XCTAssertEqual(inbox.status, 0, inbox.stderr)
        XCTAssertTrue(inbox.stdout.contains("D1 报送投资进度"), inbox.stdout)
        XCTAssertFalse(inbox.stdout.contains("海洋高新区"), "a department sees only its own row:\n\(inbox.stdout)")
        XCTAssertTrue(inbox.stdout.contains("Inbox of 隐珠街道"), "departments by name:\n\(inbox.stdout)")

        let answered = try tally(["answer", "D1", "--text", "已完成3.5亿元", "--add", "\(Self.target)=3.5"], token: clerk)
        XCTAssertEqual(answered.status, 0, answered.stderr)
        XCTAssertTrue(answered.stdout.contains("Report R1 sent with it"), answered.stdout)
        let listed = try tally(["dispatch", "list"], token: central)
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let rows = listed.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(rows.contains { $0.hasPrefix("隐珠街道") && $0.contains("answered") && $0.contains("R1") }, listed.stdout)
        XCTAssertTrue(rows.contains { $0.hasPrefix("海洋高新区") && $0.contains("open") }, listed.stdout)

        let returned = try tally(["review", "return", "R1", "--comment", "口径不符"], token: central)
        XCTAssertEqual(returned.status, 0, returned.stderr)
        let told = try tally(["inbox"], token: clerk)
        XCTAssertTrue(told.stdout.contains("R1") && told.stdout.contains("口径不符"), told.stdout)

        let file = CLIProcess.scratchDirectory.appendingPathComponent("correction-\(UUID().uuidString).csv")
        try Data("type,id,value,mode\ntarget,\(Self.target),3,set\n".utf8).write(to: file)
        let corrected = try tally(["import", file.path, "--resubmits", "R1"], token: clerk)
        XCTAssertEqual(corrected.status, 0, corrected.stderr)
        let reports = try tally(["review", "list"], token: central)
        XCTAssertEqual(reports.status, 0, reports.stderr)
        XCTAssertTrue(reports.stdout.contains("corrected by R2"), reports.stdout)
        XCTAssertTrue(reports.stdout.contains("corrects R1"), reports.stdout)
        let accepted = try tally(["review", "accept", "R2"], token: central)
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
        XCTAssertTrue(accepted.stdout.contains("accepted"), accepted.stdout)
        let again = try tally(["review", "accept", "R2"], token: central)
        XCTAssertEqual(again.status, 2, "a second review is refused by the server: \(again.stderr)")
        let closed = try tally(["dispatch", "close", "D1"], token: central)
        XCTAssertEqual(closed.status, 0, closed.stderr)
    }
}
