import Foundation
import XCTest
@testable import TallyCore

/// `Decimal(exact:)` and `exactString`: the gate through which every figure passes.
final class FormatExactDecimalTests: XCTestCase {
    func testParsesPlainDecimalsExactly() throws {
        XCTAssertEqual(Decimal(exact: "190")?.exactString, "190")
        XCTAssertEqual(Decimal(exact: "0.35")?.exactString, "0.35")
        XCTAssertEqual(Decimal(exact: "-2.5")?.exactString, "-2.5")
        XCTAssertEqual(Decimal(exact: "007")?.exactString, "7")
        XCTAssertEqual(Decimal(exact: "1.500000")?.exactString, "1.5")
        XCTAssertEqual(Decimal(exact: "-0")?.exactString, "0")
        XCTAssertEqual(Decimal(exact: "0.000001")?.exactString, "0.000001")
        XCTAssertEqual(Decimal(exact: "123456789012345678.123456")?.exactString, "123456789012345678.123456")
        // 0.1 + 0.2 is exactly 0.3 here, unlike binary floating point.
        let sum = try XCTUnwrap(Decimal(exact: "0.1")) + XCTUnwrap(Decimal(exact: "0.2"))
        XCTAssertEqual(sum, Decimal(exact: "0.3"))
    }

    func testRejectsEverythingElse() {
        for text in ["", "-", ".", ".5", "5.", "1e5", "1E5", "+1", " 1", "1 ", "1,000", "NaN", "nan", "Infinity",
                     "inf", "12abc", "0x10", "1.2.3", "--1", "1.0000001", "1234567890123456789", "１２", "٣"] {
            XCTAssertNil(Decimal(exact: text), "accepted \(text.debugDescription)")
        }
    }

    func testExactStringHasNoExponentOrTrailingZeros() throws {
        let figure = try XCTUnwrap(Decimal(exact: "190"))
        XCTAssertEqual((figure * 1_000_000_000_000).exactString, "190000000000000")
        let sum = try XCTUnwrap(Decimal(exact: "1.10")) + XCTUnwrap(Decimal(exact: "2.40"))
        XCTAssertEqual(sum.exactString, "3.5")
        XCTAssertEqual(Decimal(0).exactString, "0")
    }

    func testRoundingToOneDecimalPlace() throws {
        XCTAssertEqual((Decimal(200) / Decimal(3)).rounded(scale: 1).exactString, "66.7")
        XCTAssertEqual(try XCTUnwrap(Decimal(exact: "12.25")).rounded(scale: 1).exactString, "12.3")
        XCTAssertEqual(try XCTUnwrap(Decimal(exact: "12.24")).rounded(scale: 1).exactString, "12.2")
        XCTAssertEqual(Decimal(100).rounded(scale: 1).exactString, "100")
    }
}
