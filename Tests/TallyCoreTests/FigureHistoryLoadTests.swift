import Foundation
import TallyStore
import XCTest
@testable import TallyCore

/// The history read at start (``FigureHistory/read(_:)``, aggregated by the database) is the one
/// recording every change in log order gives, with reports for an earlier month arriving late.
final class FigureHistoryLoadTests: XCTestCase {
    func testTheAggregatedReadEqualsRecordingEveryChangeInLogOrder() throws {
        let connection = try WriterBatchTests.seededConnection()
        defer { connection.close() }
        let fixedAssets = WriterBatchTests.fixedAssets
        let other = "yinzhu/industry/industrial-output"
        let reports: [(target: String, period: String, change: [String: String])] = [
            (fixedAssets, "2023-05", ["increment": "1"]),
            (fixedAssets, "2023-05", ["increment": "2.5"]),
            (fixedAssets, "2023-06", ["set_value": "10"]),
            (fixedAssets, "2023-05", ["increment": "1"]),   // a May report arriving after June's
            (other, "2023-06", ["increment": "3"]),
            (fixedAssets, "2023-07", ["increment": "0.25"]),
            (other, "2023-06", ["increment": "4"]),
            (fixedAssets, "2023", ["increment": "1"]),      // a year period: not a month, left out
        ]
        // A figure from before the log (a plan loaded with it): the baseline is the first report's old value.
        try connection.execute("UPDATE targets SET current_figure = 7 WHERE id = $1", [.text(other)])
        for report in reports {
            var command: [String: String] = [
                "op": "report_target", "credential": "c-test", "role": "department", "department": "yinzhu",
                "request_id": UUID().uuidString, "target_id": report.target, "period": report.period,
            ]
            command.merge(report.change) { $1 }
            let text = String(decoding: try JSONSerialization.data(withJSONObject: [command]), as: UTF8.self)
            let answer = try connection.execute("SELECT tally_apply_batch($1::jsonb)::text", [.text(text)])
            let outcome = try XCTUnwrap(answer.rows.first?.decode(String.self, at: 0))
            XCTAssertFalse(outcome.contains("\"error\""), outcome)
        }
        var recorded = FigureHistory()
        for change in try ChangeLogReader.read(connection, after: 0, limit: 1000) { recorded.record(change) }
        XCTAssertEqual(recorded.targets[fixedAssets]?.monthEnd.count, 3, "May, June and July")
        XCTAssertEqual(recorded.targets[other]?.baseline, 7)
        let read = try FigureHistory.read(connection)
        XCTAssertEqual(read, recorded)
        // May's figure is the one after the late May report (log order), not the one before June's.
        XCTAssertEqual(read.targets[fixedAssets]?.monthEnd["2023-05"], read.targets[fixedAssets]?.monthEnd["2023-06"].map { $0 + 1 })
    }
}
