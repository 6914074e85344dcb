import Foundation

/// One kind of message: a stable code (`target.not_found`), how the English text the server
/// produces reads (a pattern whose groups are the arguments), and its text in each language with
/// `{0}`, `{1}`... for the arguments.
public struct MessageTemplate: Sendable {
    /// The stable code programs read (`target.not_found`), sent as `message-code`.
    public let code: String
    let en: String
    let zh: String
    /// `pattern` anchored at both ends, compiled once (nil only for a malformed pattern, which a test would show).
    let regex: NSRegularExpression?

    /// A template: `pattern` is a regular expression over the whole English text, its groups the arguments.
    public init(_ code: String, _ pattern: String, en: String, zh: String) {
        self.code = code
        self.regex = try? NSRegularExpression(pattern: "^" + pattern + "$", options: [.dotMatchesLineSeparators])
        self.en = en
        self.zh = zh
    }

    /// A template whose pattern is its English text: `"{n}"` matches a quoted argument (anything but
    /// a quote inside), `{n}` any argument, and every other character itself.
    public init(_ code: String, en: String, zh: String) {
        self.init(code, Self.pattern(matching: en), en: en, zh: zh)
    }

    /// The pattern that matches `text` with its `{n}` placeholders filled in.
    static func pattern(matching text: String) -> String {
        var pattern = ""
        var literalStart = text.startIndex
        for placeholder in text.ranges(of: /\{\d+\}/) {
            let literal = text[literalStart..<placeholder.lowerBound]
            let quoted = literal.hasSuffix("\"") && text[placeholder.upperBound...].hasPrefix("\"")
            pattern += NSRegularExpression.escapedPattern(for: String(literal)) + (quoted ? #"([^"]*)"# : "(.+?)")
            literalStart = placeholder.upperBound
        }
        return pattern + NSRegularExpression.escapedPattern(for: String(text[literalStart...]))
    }

    /// The arguments when `message` is one of these, else nil.
    func arguments(of message: String) -> [String]? {
        guard let regex else { return nil }
        let range = NSRange(message.startIndex..., in: message)
        guard let match = regex.firstMatch(in: message, range: range) else { return nil }
        return (1..<match.numberOfRanges).map { index in
            Range(match.range(at: index), in: message).map { String(message[$0]) } ?? ""
        }
    }

    /// The text in `language` with the arguments filled in.
    public func render(_ language: MessageLanguage, _ arguments: [String]) -> String {
        // One pass over the template, so an argument that itself contains "{1}" stays as it is.
        var text = ""
        var rest = Substring(language == .zh ? zh : en)
        while let open = rest.firstIndex(of: "{") {
            text += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), let index = Int(after[..<close]), arguments.indices.contains(index) {
                text += arguments[index]
                rest = after[after.index(after: close)...]
            } else {
                text += "{"
                rest = after
            }
        }
        return text + rest
    }
}
