import Foundation
import TallyMessages

// Minimal formatting for the CLI until TallyCore's Format (labels, money, dates, CJK width) is
// merged; everything here is isolated in this file so it can be replaced by that module.

/// The language of labels and messages: Chinese by default, English with `--lang en`.
enum Lang: String, Sendable, CaseIterable {
    case zh, en

    /// Parses "zh", "zh-CN", "en", "en_US"...; nil for anything else.
    init?(code: String) {
        let lower = code.lowercased()
        if lower.hasPrefix("zh") { self = .zh } else if lower.hasPrefix("en") { self = .en } else { return nil }
    }

    /// Picks the text for this language.
    func pick(zh: String, en: String) -> String { self == .zh ? zh : en }
}

/// Formatting of figures, money, dates and terminal columns.
enum LocalFormat {
    /// China Standard Time, in which periods and dates are read.
    static let chinaTime = TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt

    /// A decimal string with at most `digits` fraction digits, trailing zeros trimmed.
    static func decimal(_ text: String, digits: Int = 2) -> String {
        guard let value = Decimal(string: text) else { return text.isEmpty ? "0" : text }
        return decimal(value, digits: digits)
    }

    /// A Decimal rounded to `digits` fraction digits, without trailing zeros.
    static func decimal(_ value: Decimal, digits: Int = 2) -> String {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, digits, .plain)
        return "\(rounded)"
    }

    /// Money given in 亿元: shown in 亿元, or in 万元 when below 1亿元 (unit always shown).
    static func money(yi text: String, lang: Lang) -> String {
        let value = Decimal(string: text) ?? 0
        if value != 0 && abs(value) < 1 {
            let wan = decimal(value * 10000, digits: 0)
            return lang.pick(zh: "\(wan)万元", en: "\(wan) 万元 (10k CNY)")
        }
        let yi = decimal(value, digits: 2)
        return lang.pick(zh: "\(yi)亿元", en: "\(yi) 亿元 (100M CNY)")
    }

    /// A short money figure for tables: "123.45亿元" in both languages.
    static func moneyShort(yi text: String) -> String {
        let value = Decimal(string: text) ?? 0
        if value != 0 && abs(value) < 1 { return "\(decimal(value * 10000, digits: 0))万元" }
        return "\(decimal(value, digits: 2))亿元"
    }

    /// A date as 2023年11月27日 or 2023-11-27, in China Standard Time.
    static func date(_ date: Date, lang: Lang) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = chinaTime
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let y = parts.year ?? 0, m = parts.month ?? 0, d = parts.day ?? 0
        switch lang {
        case .zh: return "\(y)年\(m)月\(d)日"
        case .en: return String(format: "%04d-%02d-%02d", y, m, d)
        }
    }

    /// A date and time in China Standard Time, e.g. 2023-11-27 14:05.
    static func dateTime(unixMs: Int64) -> String {
        guard unixMs > 0 else { return "-" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = chinaTime
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: Date(timeIntervalSince1970: Double(unixMs) / 1000))
    }

    /// The columns a string takes in a terminal: East Asian wide and fullwidth characters take two.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    private static func width(of scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v == 0 || (0x300...0x36F).contains(v) || (0x200B...0x200F).contains(v) || v == 0xFEFF { return 0 }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
        ]
        return wide.contains { $0.contains(v) } ? 2 : 1
    }

    /// Pads (or cuts, with "…") text to exactly `width` terminal columns.
    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        var text = text
        if displayWidth(text) > width {
            var cut = ""
            for character in text {
                if displayWidth(cut + String(character)) > width - 1 { break }
                cut.append(character)
            }
            text = cut + "…"
        }
        let fill = String(repeating: " ", count: max(0, width - displayWidth(text)))
        return right ? fill + text : text + fill
    }

    /// The label of a standing.
    static func standing(_ standing: Tally_V1_Standing, lang: Lang) -> String {
        switch standing {
        case .met: lang.pick(zh: "已完成", en: "met")
        case .onTrack: lang.pick(zh: "正常", en: "on track")
        case .amber: lang.pick(zh: "预警", en: "amber")
        case .behind: lang.pick(zh: "滞后", en: "behind")
        default: lang.pick(zh: "—", en: "-")
        }
    }

    /// The label of a project stage.
    static func stage(_ stage: Tally_V1_Stage, lang: Lang) -> String {
        switch stage {
        case .planned: lang.pick(zh: "谋划", en: "planned")
        case .signed: lang.pick(zh: "签约", en: "signed")
        case .landAcquired: lang.pick(zh: "拿地", en: "land acquired")
        case .underConstruction: lang.pick(zh: "在建", en: "under construction")
        case .completed: lang.pick(zh: "竣工", en: "completed")
        case .inProduction: lang.pick(zh: "投产/运营", en: "in production")
        default: lang.pick(zh: "未定", en: "unspecified")
        }
    }
}
