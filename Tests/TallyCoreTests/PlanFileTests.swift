import Foundation
import XCTest
@testable import TallyCore

/// Plan files: the canonical text, and errors that name the file, the line and the field.
final class PlanFileTests: XCTestCase {
    func testThe2023PlanFileIsInCanonicalForm() throws {
        let plan = try PlanFile.parse(EmbeddedSchema.plan2023, file: "plan-2023.json")
        XCTAssertEqual(plan, PlanDocument.default2023)
        let text = try PlanFile.text(of: plan)
        XCTAssertEqual(text, EmbeddedSchema.plan2023, "the exported text differs from Schema/plan-2023.json")
    }

    func testThe2024PlanFileValidatesAndIsCanonical() throws {
        let plan = try PlanFile.parse(PlanFixtures.plan2024, file: "plan-2024.json")
        XCTAssertEqual(plan.year, "2024")
        XCTAssertEqual(plan.periods.count, 13)
        XCTAssertEqual(try PlanFile.text(of: plan), try PlanFixtures.plan2024)
    }

    private func error(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> PlanFileError? {
        do {
            _ = try PlanFile.parse(text, file: "plan-2024.json")
            XCTFail("accepted", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    func testAnUnknownReferenceNamesFileLineAndField() throws {
        let text = try PlanFixtures.plan2024.replacingOccurrences(
            of: "\"line\": \"yinzhu/industry\",\n      \"name\": \"规上工业产值增长\"",
            with: "\"line\": \"yinzhu/nowhere\",\n      \"name\": \"规上工业产值增长\"")
        XCTAssertNotEqual(text, try PlanFixtures.plan2024)
        let failure = try XCTUnwrap(error(text))
        XCTAssertEqual(failure.file, "plan-2024.json")
        XCTAssertEqual(failure.field, "targets[2].line")
        let expectedLine = try XCTUnwrap(text.components(separatedBy: "\n").firstIndex { $0.contains("yinzhu/nowhere") }) + 1
        XCTAssertEqual(failure.line, expectedLine)
        XCTAssertTrue(failure.description.hasPrefix("plan-2024.json:\(expectedLine): targets[2].line: "), failure.description)
        XCTAssertTrue(failure.message.contains("unknown line yinzhu/nowhere"), failure.message)
    }

    func testAWrongTypeNamesTheField() throws {
        let text = try PlanFixtures.plan2024.replacingOccurrences(of: "\"planned_count\": 3", with: "\"planned_count\": \"three\"")
        XCTAssertNotEqual(text, try PlanFixtures.plan2024)
        let failure = try XCTUnwrap(error(text))
        XCTAssertEqual(failure.field, "batches[0].planned_count")
        let expectedLine = try XCTUnwrap(text.components(separatedBy: "\n").firstIndex { $0.contains("\"three\"") }) + 1
        XCTAssertEqual(failure.line, expectedLine)
    }

    func testAMissingFieldNamesTheRecordsLine() throws {
        let text = try PlanFixtures.plan2024.replacingOccurrences(of: "      \"unit\": \"亿元\",\n", with: "", options: [], range: nil)
        let failure = try XCTUnwrap(error(text))
        XCTAssertTrue(failure.field.hasSuffix(".unit"), failure.field)
        XCTAssertNotNil(failure.line)
    }

    func testBrokenJSONNamesTheLine() throws {
        let text = "{\n  \"format\": 1,\n  \"campaign\": ,\n}\n"
        let failure = try XCTUnwrap(error(text))
        XCTAssertEqual(failure.line, 3, failure.description)
    }

    func testAPeriodOutsideTheYearIsRefused() throws {
        let text = try PlanFixtures.plan2024.replacingOccurrences(of: "\"code\": \"2024-12\"", with: "\"code\": \"2025-12\"")
        let failure = try XCTUnwrap(error(text))
        XCTAssertEqual(failure.field, "periods[12].code")
    }
}

/// Schema/plan.schema.json names exactly the fields the canonical writer writes, record by record.
final class PlanJSONSchemaTests: XCTestCase {
    func testTheJSONSchemaListsEveryFieldInTheFormatsOrder() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("Schema/plan.schema.json"))
        let schema = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let definitions = try XCTUnwrap(schema["$defs"] as? [String: Any])
        let lists = ["departments": "department", "lines": "line", "periods": "period", "targets": "target",
                     "batches": "batch", "projects": "project"]
        for (list, definition) in lists {
            let record = try XCTUnwrap(definitions[definition] as? [String: Any], definition)
            let properties = try XCTUnwrap(record["properties"] as? [String: Any], definition)
            XCTAssertEqual(Set(properties.keys), Set(PlanFileWriter.keyOrder[list] ?? []), list)
        }
        let top = try XCTUnwrap(schema["properties"] as? [String: Any])
        XCTAssertEqual(Set(top.keys), Set(PlanFileWriter.keyOrder[""] ?? []))
    }
}
