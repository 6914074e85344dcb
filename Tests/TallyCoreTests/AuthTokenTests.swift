@testable import TallyCore
import TallyWire
import XCTest

final class AuthTokenTests: XCTestCase {
    func testSHA256MatchesTheStandardVectors() {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(String(repeating: "a", count: 1000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    func testTokensAreRandomLongAndStoredAsHashes() {
        let a = Token.generate(), b = Token.generate()
        XCTAssertNotEqual(a, b)
        XCTAssertTrue(a.hasPrefix(Token.prefix))
        XCTAssertEqual(a.count, Token.prefix.count + 64)   // 256 bits in hex
        XCTAssertEqual(Token.hash(a).count, 64)
        XCTAssertFalse(Token.hash(a).contains(a))
        XCTAssertTrue(Token.constantTimeEquals(Token.hash(a), Token.hash(a)))
        XCTAssertFalse(Token.constantTimeEquals(Token.hash(a), Token.hash(b)))
        XCTAssertFalse(Token.constantTimeEquals("abc", "abcd"))
    }

    func testValidationNamesTheField() {
        XCTAssertThrowsError(try Validation.decimal("increment", "NaN", allowNegative: true)) { error in
            XCTAssertEqual((error as? RPCError)?.code, .invalidArgument)
            XCTAssertTrue((error as? RPCError)?.message.hasPrefix("increment:") ?? false)
        }
        XCTAssertThrowsError(try Validation.decimal("set_value", "-1", allowNegative: false))
        XCTAssertThrowsError(try Validation.decimal("set_value", "1e5", allowNegative: false))
        XCTAssertEqual(try Validation.decimal("set_value", "0012.50", allowNegative: false), "12.5")
        XCTAssertThrowsError(try Validation.name("name", "圣元\u{0}液体"))
        XCTAssertThrowsError(try Validation.name("name", "   "))
        XCTAssertEqual(try Validation.name("name", " 圣元液体蛋白 "), "圣元液体蛋白")
        XCTAssertThrowsError(try Validation.requestID(""))
        XCTAssertThrowsError(try Validation.requestID(String(repeating: "x", count: 129)))
        XCTAssertEqual(try Validation.text("note", "第一行\n第二行"), "第一行\n第二行")
        XCTAssertThrowsError(try Validation.text("note", "\u{1b}[31m"))
    }
}
