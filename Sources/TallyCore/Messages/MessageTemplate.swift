import Foundation

/// One kind of message: a stable code (`target.not_found`), how the English text the server
/// produces reads (a pattern whose groups are the arguments), and its text in each language with
/// `{0}`, `{1}`... for the arguments.
public struct MessageTemplate: Sendable {
    /// The stable code programs read (`target.not_found`), sent as `message-code`.
    public let code: String
    let pattern: String
    let en: String
    let zh: String

    /// A template: `pattern` is a regular expression over the whole English text, its groups the arguments.
    public init(_ code: String, _ pattern: String, en: String, zh: String) {
        self.code = code
        self.pattern = pattern
        self.en = en
        self.zh = zh
    }

    /// The arguments when `message` is one of these, else nil.
    func arguments(of message: String) -> [String]? {
        guard let regex = try? NSRegularExpression(pattern: "^" + pattern + "$", options: [.dotMatchesLineSeparators]) else { return nil }
        let range = NSRange(message.startIndex..., in: message)
        guard let match = regex.firstMatch(in: message, range: range) else { return nil }
        return (1..<match.numberOfRanges).map { index in
            Range(match.range(at: index), in: message).map { String(message[$0]) } ?? ""
        }
    }

    /// The text in `language` with the arguments filled in.
    func render(_ language: MessageLanguage, _ arguments: [String]) -> String {
        var text = language == .zh ? zh : en
        for (index, argument) in arguments.enumerated() {
            text = text.replacingOccurrences(of: "{\(index)}", with: argument)
        }
        return text
    }
}
