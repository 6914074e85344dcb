import Foundation
import TallyServerTestSupport
import TallyStore
import TallyTestSupport
import XCTest

/// Two `tally serve` processes on one database: a report through one reaches the other's totals
/// (LISTEN/NOTIFY wakes it, and it reads the change log).
final class MultiServerTests: XCTestCase {
    func testReportThroughOneServerShowsOnTheOther() throws {
        let database = try TestDatabase.fresh().conninfo
        let first = try ServeProcess(database: database, environment: CLIProcess.environment(), directory: CLIProcess.scratchDirectory)
        defer { first.stop() }
        let second = try ServeProcess(database: database, environment: CLIProcess.environment(), directory: CLIProcess.scratchDirectory)
        defer { second.stop() }

        func token(_ arguments: [String]) throws -> String {
            let result = try CLIProcess.run(["credential", "create", "--database", database, "--name", "t", "--token-only"]
                                            + arguments)
            XCTAssertEqual(result.status, 0, result.stderr)
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let clerk = try token(["--role", "department", "--department", "yinzhu"])
        let central = try token(["--role", "central"])
        let target = "yinzhu/industry/fixed-asset-investment"

        let report = try CLIProcess.run(["report", "target", target, "--set", "12.5", "--server", first.address,
                                         "--token", clerk])
        XCTAssertEqual(report.status, 0, report.stderr)

        // The second server learns of it asynchronously; allow it a few seconds.
        var seen = false
        let deadline = Date().addingTimeInterval(10)
        while !seen && Date() < deadline {
            let export = try CLIProcess.run(["export", "--format", "json", "--server", second.address, "--token", central])
            XCTAssertEqual(export.status, 0, export.stderr)
            seen = export.stdout.contains("\"currentFigure\" : \"12.5\"") || export.stdout.contains("\"currentFigure\":\"12.5\"")
            if !seen { Thread.sleep(forTimeInterval: 0.1) }
        }
        XCTAssertTrue(seen, "the second server never showed the figure reported through the first")
    }
}
