import Foundation
import XCTest
import TallyCore

/// JSON string literals written by hand (the JSON log, the plan file) read back as the same text
/// with a real JSON parser, whatever the text holds.
final class JSONStringLiteralTests: XCTestCase {
    func testLiteralsReadBackAsTheSameText() throws {
        let texts = ["", "plain", "第一批 项目", "a/b", "quote \" backslash \\", "tab \t newline \n return \r",
                     "bell \u{7} nul \u{0} unit \u{1F}", "emoji 🚀 and \u{2028}", "\\u0041 stays as written"]
        for text in texts {
            let literal = JSONStringLiteral.quoted(text)
            let parsed = try JSONSerialization.jsonObject(with: Data(literal.utf8), options: [.fragmentsAllowed])
            XCTAssertEqual(parsed as? String, text, "literal \(literal)")
        }
    }

    func testOnlyWhatMustBeEscapedIs() {
        XCTAssertEqual(JSONStringLiteral.quoted("a/b 第一批"), "\"a/b 第一批\"", "slashes and non-ASCII as they are")
        XCTAssertEqual(JSONStringLiteral.quoted("\"\\\n\u{1}"), #""\"\\\n\u0001""#)
        var output = Array("{".utf8)
        JSONStringLiteral.append("k", to: &output)
        XCTAssertEqual(String(decoding: output, as: UTF8.self), "{\"k\"", "append adds to what is there")
    }
}
