import Foundation
@testable import TallyCore
import XCTest

/// The writer reads outcomes and target entities without JSONDecoder (``FlatJSON``); what it reads
/// must be what JSONDecoder reads, and anything it does not read must be left to JSONDecoder.
final class WriterFlatJSONTests: XCTestCase {
    /// Entities of every shape: as the database writes them, with escapes, defaults, nulls, and ones
    /// the flat reader must leave to JSONDecoder (unknown or nested keys, bad figures, fractions).
    private let entities = [
        #"{"id": "bench-01-t", "line": "bench-01/l", "name": "Bench target 1", "note": "", "unit": "个", "period": "2023", "version": 26, "direction": "at_least", "qualifier": "", "department": "bench-01", "sort_order": 1, "target_figure": "1000000", "current_figure": "25"}"#,
        #"{"id": "T-1", "line": "L1", "name": "固定资产投资", "note": "say \"hi\"\\ \/ \n\t\r\b\f \u00e9 \ud83d\ude00", "unit": "亿元", "period": "2023", "version": 7, "direction": "at_most", "qualifier": "不少于", "department": "yinzhu", "sort_order": -3, "target_figure": "190.000", "current_figure": "-120.35"}"#,
        #"{"id": "T-2", "line": "L1", "name": "任务", "unit": "项", "period": "2023", "department": "yinzhu", "target_figure": "1"}"#,
        #"{"id":"T-3","line":"L1","name":"n","unit":"个","period":"2023","department":"d","target_figure":"12345678901234567890.123456789012345678","current_figure":null,"note":null,"version":null,"sort_order":null,"direction":null,"qualifier":null,"updated_at":null}"#,
        #"{"id": "T-4", "line": "L1", "name": "n", "unit": "个", "period": "2023", "department": "d", "target_figure": "5", "updated_at": "2023-11-27T10:00:00.123456+00:00"}"#,
        #"{"id": "T-5", "line": "L1", "name": "n", "unit": "个", "period": "2023", "department": "d", "target_figure": "5", "extra": 1}"#,
        #"{"id": "T-6", "line": "L1", "name": "n", "unit": "个", "period": "2023", "department": "d", "target_figure": "5", "note": ["x"]}"#,
        #"{"id": "T-7", "line": "L1", "name": "n", "unit": "个", "period": "2023", "department": "d", "target_figure": "1e5"}"#,
        #"{"id": "T-8", "line": "L1", "name": "n", "unit": "个", "period": "2023", "department": "d", "target_figure": 5}"#,
        #"{"id": "T-9", "line": "L1", "name": "n", "unit": "个", "period": "2023", "department": "d", "target_figure": "5", "version": 2.5}"#,
        #"{"id": "T-10", "line": "L1", "name": "n", "unit": "个", "period": "2023", "department": "d", "target_figure": "5", "direction": "sideways"}"#,
        #"{"id": "T-11", "line": "L1", "name": "n", "unit": "个", "period": "2023", "target_figure": "5"}"#,
        #"{"id": "T-12", "line": "L1", "name": "\ud800", "unit": "个", "period": "2023", "department": "d", "target_figure": "5"}"#,
        #"{"id": "T-13", "line": "L1", "name": "n", "unit": "个", "period": "2023", "department": "d", "target_figure": "5"} x"#,
        #"{"id": "T-14", "line": "L1", "name": "n", "unit": "个", "period": "2023", "department": "d", "target_figure": "5", "id": "T-15"}"#,
        #"{"id": "T-16", "line": "L1", "name": "n", "unit": "个", "period": "2023", "department": "d", "target_figure": "5", "version": 012}"#,
    ]

    func testTargetsReadAsJSONDecoderReadsThem() throws {
        var flat = 0
        for text in entities {
            let decoded = try? EntityJSON.decode(TargetRecord.self, from: text)
            guard let read = TargetRecord(flatJSON: text) else { continue }
            flat += 1
            let expected = try XCTUnwrap(decoded, "the flat reader accepted what JSONDecoder rejects: \(text)")
            XCTAssertEqual(read, expected, text)
            XCTAssertEqual(read.targetFigure.exactString, expected.targetFigure.exactString, text)
            XCTAssertEqual(read.currentFigure.exactString, expected.currentFigure.exactString, text)
            XCTAssertEqual(read.version, expected.version, text)
            XCTAssertEqual(read.note, expected.note, text)
            XCTAssertEqual(try EntityJSON.encode(read), try EntityJSON.encode(expected), text)
        }
        // The database's shapes are read flat; the rest go to JSONDecoder.
        XCTAssertEqual(flat, 4)
        let change = ChangeRecord(sequence: 1, committedAt: Date(), period: "2023-01", department: "d", credential: nil,
                                  kind: .target, subjectId: "T-4", field: "current_figure", entity: entities[4])
        XCTAssertNotNil(try change.decodeTarget().updatedAt, "a target the flat reader leaves is decoded")
    }

    func testOutcomesReadAsJSONDecoderReadsThem() throws {
        let flatAnswers = [
            "[]",
            #"[{"replayed": false, "sequence": 41, "target_logged": true}, {"replayed": true, "sequence": 7}]"#,
            #"[{"error": "TL001", "message": "target \"x\" is not yours"}, {"first_sequence": 3, "last_sequence": 9, "replayed": false}]"#,
            #"[{"error": null, "sequence": -1, "metadata": null}]"#,
        ]
        for text in flatAnswers {
            let read = try XCTUnwrap(WriteOutcome.flatOutcomes(text), text)
            let decoded = try JSONDecoder().decode([WriteOutcome].self, from: Data(text.utf8))
            XCTAssertEqual(read.count, decoded.count, text)
            for (mine, theirs) in zip(read, decoded) {
                XCTAssertEqual(mine.error, theirs.error, text)
                XCTAssertEqual(mine.message, theirs.message, text)
                XCTAssertEqual(mine.sequence, theirs.sequence, text)
                XCTAssertEqual(mine.first_sequence, theirs.first_sequence, text)
                XCTAssertEqual(mine.last_sequence, theirs.last_sequence, text)
                XCTAssertEqual(mine.replayed, theirs.replayed, text)
                XCTAssertEqual(mine.target_logged, theirs.target_logged, text)
            }
        }
        for text in [#"[{"error": "TL002", "metadata": {"target": "x"}}]"#, #"[{"sequence": 1, "target": {"id": "x"}}]"#,
                     #"[{"sequence": "1"}]"#, #"[{"sequence": 1},]"#, #"{"sequence": 1}"#] {
            XCTAssertNil(WriteOutcome.flatOutcomes(text), text)
        }
    }

    /// Exact decimal text up to 19 digits is summed as an integer: the same value, hash and text as digit by digit.
    func testSignificandsAsInDecimal() {
        var digits: [UInt8] = []
        for count in 1...19 {
            for lead in UInt8(ascii: "0")...UInt8(ascii: "9") {
                digits = [lead] + (0..<(count - 1)).map { UInt8(ascii: "0") + UInt8(($0 * 7 + count) % 10) }
                let fast = Decimal.significand(of: digits)
                let slow = Decimal.significandInDecimal(of: digits)
                XCTAssertEqual(fast, slow)
                XCTAssertEqual(fast.hashValue, slow.hashValue)
                XCTAssertEqual(fast.exactString, slow.describedExactString)
            }
        }
        XCTAssertEqual(Decimal(exact: "9999999999999999999.5", maxIntegerDigits: 20, maxFractionDigits: 18)?.exactString,
                       "9999999999999999999.5")
    }
}
