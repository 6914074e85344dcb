import Foundation
import XCTest
@testable import TallyCore

/// The hand-written JSON of a target report (``WriteCommand/Sent/json()``) is the object `Encodable` gives.
final class WriterJSONTests: XCTestCase {
    private func object(_ data: Data) throws -> NSDictionary {
        try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    func testATargetReportWrittenByHandIsTheObjectEncodableGives() throws {
        var envelope = WriteCommand.Envelope(
            principal: Principal(credentialID: "c-1", role: .department, department: "yinzhu"),
            requestID: "r-\"quoted\"\\back\nline\u{1}", period: "2023-05")
        envelope.made_at = "2023-05-01T08:00:00Z"
        let full = WriteCommand.ReportTarget(target_id: "yinzhu/industry/一", set_value: nil, increment: "1.5",
                                             unit: "亿元", expected_version: 7, note: "二月 \t/ note")
        let sparse = WriteCommand.ReportTarget(target_id: "t", set_value: "10")
        for fields in [full, sparse] {
            let sent = WriteCommand.Sent(envelope: envelope, command: .reportTarget(fields))
            XCTAssertEqual(try object(sent.json()), try object(JSONEncoder().encode(sent)))
        }
    }
}
