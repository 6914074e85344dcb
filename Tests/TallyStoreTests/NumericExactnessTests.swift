import Foundation
import TallyStore
import TallyTestSupport
import XCTest

final class NumericExactnessTests: XCTestCase {
    private func decimal(_ text: String) throws -> Decimal {
        try XCTUnwrap(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")))
    }

    func testPointOnePlusPointTwoIsPointThree() throws {
        let connection = try PostgresConnection(configuration: TestDatabase.fresh())
        defer { connection.close() }
        let literal = try connection.execute("SELECT 0.1::numeric + 0.2::numeric = 0.3::numeric, 0.1::numeric + 0.2::numeric")
        XCTAssertEqual(try literal.rows[0].decode(Bool.self, at: 0), true)
        XCTAssertEqual(try literal.rows[0].decode(Decimal.self, at: 1), try decimal("0.3"))
        let parameters = try connection.execute(
            "SELECT $1::numeric + $2::numeric", [.decimal(try decimal("0.1")), .decimal(try decimal("0.2"))])
        let sum = try parameters.rows[0].decode(Decimal.self, at: 0)
        XCTAssertEqual(sum, try decimal("0.3"))
        XCTAssertEqual(try decimal("0.1") + decimal("0.2"), try decimal("0.3"))
        XCTAssertEqual(sum.description, "0.3")
    }

    func testNineteenBillionSumsExactly() throws {
        let connection = try PostgresConnection(configuration: TestDatabase.fresh())
        defer { connection.close() }
        try connection.execute("CREATE TABLE parts (yi numeric NOT NULL, yuan numeric NOT NULL)")
        for part in ["100", "60", "30"] {
            let yi = try decimal(part)
            try connection.execute("INSERT INTO parts VALUES ($1, $2)", [.decimal(yi), .decimal(yi * 100_000_000)])
        }
        let row = try connection.execute("SELECT sum(yi), sum(yuan), sum(yi) = 190 FROM parts").rows[0]
        XCTAssertEqual(try row.decode(Decimal.self, at: 0), 190)
        XCTAssertEqual(try row.decode(Decimal.self, at: 1), try decimal("19000000000"))
        XCTAssertEqual(try row.decode(Bool.self, at: 2), true)
    }

    func testLargeValuesRoundTripExactly() throws {
        let connection = try PostgresConnection(configuration: TestDatabase.fresh())
        defer { connection.close() }
        for text in ["12345678901234567890.123456789", "-98765432109876543210.000000001", "0.000000000000000001", "0"] {
            let value = try decimal(text)
            let row = try connection.execute("SELECT $1::numeric, $1::numeric::text = $2", [.decimal(value), .text(text)]).rows[0]
            XCTAssertEqual(try row.decode(Decimal.self, at: 0), value, text)
            XCTAssertEqual(try row.decode(Bool.self, at: 1), true, "server saw \(value) for \(text)")
            let literal = try connection.execute("SELECT \(text)::numeric").rows[0]
            XCTAssertEqual(try literal.decode(Decimal.self, at: 0), value, text)
        }
        let tooPrecise = try connection.execute("SELECT 1.00000000000000000000000000000000000000001::numeric").rows[0]
        XCTAssertThrowsError(try tooPrecise.decode(Decimal.self, at: 0)) { error in
            XCTAssertEqual((error as? StoreError)?.kind, .decoding)
        }
    }
}
