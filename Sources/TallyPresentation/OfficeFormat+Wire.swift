import Foundation
import TallyCore
import TallyMessages

/// Office formatting of values as they come off the wire: decimal strings, Unix milliseconds and
/// proto enums, for the CLI and the dashboards that read server answers.
extension OfficeFormat {
    /// A decimal string rounded to at most `digits` fraction digits, trailing zeros trimmed
    /// ("0" for an empty string; text that is not a number is shown as it is).
    public static func decimal(_ text: String, digits: Int = 2) -> String {
        guard let value = Decimal(string: text) else { return text.isEmpty ? "0" : text }
        return decimal(value, digits: digits)
    }

    /// A Decimal rounded to at most `digits` fraction digits, trailing zeros trimmed.
    public static func decimal(_ value: Decimal, digits: Int = 2) -> String {
        value.rounded(scale: digits).exactString
    }

    /// Money given as a decimal string in 亿元 (see `money(yi:_:)`); an unreadable string counts as 0.
    public static func money(yi text: String, _ language: Language = .zh) -> String {
        money(yi: Decimal(string: text) ?? 0, language)
    }

    /// The CST date and minute of Unix milliseconds ("2023-11-27 14:05"), "-" for none (0).
    public static func dateTime(unixMs: Int64) -> String {
        unixMs > 0 ? dateTime(Date(timeIntervalSince1970: Double(unixMs) / 1000)) : "-"
    }

    /// The label of a wire standing, "-" when unspecified.
    public static func standing(_ standing: Tally_V1_Standing, _ language: Language) -> String {
        Standing(proto: standing)?.label(language) ?? "-"
    }

    /// The label of a wire project stage, 未定/unspecified when none.
    public static func stage(_ stage: Tally_V1_Stage, _ language: Language) -> String {
        Stage(proto: stage)?.label(language) ?? language.pick(zh: "未定", en: "unspecified")
    }
}
