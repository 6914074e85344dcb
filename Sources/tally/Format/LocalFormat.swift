import Foundation
import TallyCore
import TallyMessages

/// The language of labels and messages (TallyCore's `Language`): Chinese by default, English with `--lang en`.
typealias Lang = Language

extension Language {
    /// Parses "zh", "zh-CN", "en", "en_US"...; nil for anything else.
    init?(code: String) {
        let lower = code.lowercased()
        if lower.hasPrefix("zh") { self = .zh } else if lower.hasPrefix("en") { self = .en } else { return nil }
    }

    /// Picks the text for this language.
    func pick(zh: String, en: String) -> String { self == .zh ? zh : en }
}

/// The CLI's view of TallyCore's Format (OfficeFormat, DisplayWidth, labels) for wire values:
/// decimal strings, Unix milliseconds and proto enums.
enum LocalFormat {
    /// China Standard Time, in which periods and dates are read.
    static let chinaTime = TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt

    /// A decimal string rounded to at most `digits` fraction digits, trailing zeros trimmed.
    static func decimal(_ text: String, digits: Int = 2) -> String {
        guard let value = Decimal(string: text) else { return text.isEmpty ? "0" : text }
        return decimal(value, digits: digits)
    }

    /// A Decimal rounded to at most `digits` fraction digits, trailing zeros trimmed.
    static func decimal(_ value: Decimal, digits: Int = 2) -> String {
        value.rounded(scale: digits).exactString
    }

    /// Money given in 亿元 as the office writes it (亿元 from 1亿 up, 万元 below).
    static func money(yi text: String, lang: Lang) -> String {
        OfficeFormat.money(yi: Decimal(string: text) ?? 0, lang)
    }

    /// Money for table cells: always 亿元/万元 with the unit, the office's own notation.
    static func moneyShort(yi text: String) -> String {
        OfficeFormat.money(yi: Decimal(string: text) ?? 0, .zh)
    }

    /// A date as 2023年11月27日 or 2023-11-27, in China Standard Time.
    static func date(_ date: Date, lang: Lang) -> String {
        OfficeFormat.date(date, lang)
    }

    /// A date and minute in China Standard Time ("2023-11-27 14:05"), "-" for none.
    static func dateTime(unixMs: Int64) -> String {
        unixMs > 0 ? OfficeFormat.dateTime(Date(timeIntervalSince1970: Double(unixMs) / 1000)) : "-"
    }

    /// Terminal columns of a string (CJK characters take two).
    static func displayWidth(_ text: String) -> Int {
        DisplayWidth.of(text)
    }

    /// Cuts (with "…") and pads text to `width` terminal columns.
    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fitted = DisplayWidth.fit(text, to: width, alignRight: right)
        return DisplayWidth.pad(fitted, to: width, alignRight: right)
    }

    /// The label of a standing.
    static func standing(_ standing: Tally_V1_Standing, lang: Lang) -> String {
        Standing(proto: standing)?.label(lang) ?? "-"
    }

    /// The label of a project stage.
    static func stage(_ stage: Tally_V1_Stage, lang: Lang) -> String {
        Stage(proto: stage)?.label(lang) ?? lang.pick(zh: "未定", en: "unspecified")
    }
}
