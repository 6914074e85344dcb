import Foundation
import TallyServerTestSupport
import TallyTestSupport
import XCTest

/// A clerk's `tally report` against a demo server pinned to a day of 2023 (`tally serve --pin-now`):
/// the CLI stamps every write with its real clock (the outbox), years after the pinned day, and the
/// server counts such a write as made at its pinned now instead of refusing it as "in the future".
final class PinnedServerTests: XCTestCase {
    func testAClerkOnTheRealClockReportsToAPinnedServer() throws {
        let (server, token, _) = try CLIProcess.serve(["--pin-now", "2023-11-27"], role: "department", department: "yinzhu")
        addTeardownBlock { server.stop() }
        let home = try CLIProcess.freshDirectory("pinned").path
        let target = "yinzhu/industry/specialized-smes"
        func tally(_ arguments: [String]) throws -> CLIResult {
            try CLIProcess.run(arguments + ["--server", server.address, "--token", token], environment: ["TALLY_HOME": home])
        }

        let report = try tally(["report", "target", target, "--add", "2", "--request-id", "pinned-1"])
        XCTAssertEqual(report.status, 0, report.stdout + report.stderr)
        XCTAssertTrue(report.stdout.contains("Reported \(target)"), report.stdout)
        // Sent again with the same request id (the advice after a lost answer): the first result, not twice.
        let again = try tally(["report", "target", target, "--add", "2", "--request-id", "pinned-1"])
        XCTAssertEqual(again.status, 0, again.stdout + again.stderr)
        let csv = try tally(["history", target, "--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let rows = csv.stdout.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        XCTAssertEqual(rows.count, 1, csv.stdout)
        XCTAssertTrue(rows.first?.contains(",pinned-1,2023-11,") ?? false, "counts for the pinned month: \(csv.stdout)")
    }
}
