import Foundation
import XCTest
@testable import TallyCore

/// The seeding statements: one per row, idempotent, decimals and NULLs as text parameters.
final class PlanSeederTests: XCTestCase {
    func testOneIdempotentStatementPerRow() {
        let plan = PlanDocument.default2023
        let statements = PlanSeeder.statements(for: plan)
        let coRows = plan.projects.reduce(0) { $0 + $1.coDepartments.count }
        XCTAssertEqual(coRows, 2)
        let shareRows = plan.projects.reduce(0) { $0 + $1.shares.count }
        XCTAssertEqual(shareRows, 1, "yinzhu's own share of 圣元液体蛋白")
        XCTAssertEqual(statements.count, plan.departments.count + plan.lines.count + plan.periods.count
                       + 1 /* the campaign */ + plan.targets.count + plan.batches.count + plan.projects.count + coRows + shareRows)
        XCTAssertTrue(statements.allSatisfy { $0.sql.contains("ON CONFLICT DO NOTHING") })
        // Every placeholder has a parameter.
        for statement in statements {
            let placeholders = statement.sql.components(separatedBy: "$").count - 1
            XCTAssertEqual(placeholders, statement.parameters.count, statement.sql)
        }
        XCTAssertTrue(statements[0].sql.contains("INSERT INTO departments"))
        XCTAssertTrue(statements.last?.sql.contains("INSERT INTO project_departments") ?? false)
    }

    func testBatchParametersKeepExactInvestmentAndNull() throws {
        let statements = PlanSeeder.statements(for: .default2023)
        let batches = statements.filter { $0.sql.contains("INSERT INTO batches") }
        let infrastructure = try XCTUnwrap(batches.first { $0.parameters[0] == "marine-hitech/hq/key-infrastructure" })
        XCTAssertEqual(infrastructure.parameters[5], "64")
        XCTAssertEqual(infrastructure.parameters[6], "近")
        let wetland = try XCTUnwrap(batches.first { $0.parameters[0] == "marine-hitech/hq/wastewater-and-wetland" })
        XCTAssertNil(wetland.parameters[5])
        let periods = statements.filter { $0.sql.contains("INSERT INTO periods") }
        XCTAssertEqual(periods.first?.parameters[2], "2023-01-01T00:00:00+08:00")
    }
}
