import Foundation
import XCTest
@testable import TallyCore

/// The embedded copy of Schema/ must equal the files (rerun Schema/embed.sh after editing them).
final class PlanEmbeddedSchemaTests: XCTestCase {
    private var schemaDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Schema")
    }

    func testMigrationsEqualTheFiles() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: schemaDirectory.path)
            .filter { $0.range(of: #"^[0-9]{3}_.+\.sql$"#, options: .regularExpression) != nil }
            .sorted()
        XCTAssertFalse(names.isEmpty)
        XCTAssertEqual(EmbeddedSchema.migrations.count, names.count, "rerun Schema/embed.sh")
        for (name, migration) in zip(names, EmbeddedSchema.migrations) {
            let text = try String(contentsOf: schemaDirectory.appendingPathComponent(name), encoding: .utf8)
            XCTAssertEqual(migration.version, Int(name.prefix(3)), name)
            XCTAssertEqual(migration.name, String(name.dropFirst(4).dropLast(4)), name)
            XCTAssertEqual(migration.sql, text, "\(name) differs from its embedded copy: rerun Schema/embed.sh")
        }
        XCTAssertEqual(EmbeddedSchema.migrations.map(\.version), EmbeddedSchema.migrations.map(\.version).sorted())
    }

    func testPlanEqualsTheFile() throws {
        let text = try String(contentsOf: schemaDirectory.appendingPathComponent("plan-2023.json"), encoding: .utf8)
        XCTAssertEqual(EmbeddedSchema.plan2023, text, "plan-2023.json differs from its embedded copy: rerun Schema/embed.sh")
    }
}
