import Foundation
import TallyCore

/// Figures, money and dates the way the office writes them ("190亿元", "4500万元", "2023年11月27日"),
/// with an English variant. All dates are shown in China Standard Time.
public enum OfficeFormat {
    /// Money given in 亿元: 亿元 from 1亿 up ("190亿元", "63.5亿元"), 万元 below ("4500万元"),
    /// at most two decimal places. English: "CNY 19 billion", "CNY 45 million".
    public static func money(yi amount: Decimal, _ language: Language = .zh) -> String {
        let magnitude = amount < 0 ? -amount : amount
        switch language {
        case .zh:
            if magnitude >= 1 || amount.isZero { return amount.rounded(scale: 2).exactString + "亿元" }
            return (amount * 10_000).rounded(scale: 2).exactString + "万元"
        case .en:
            // 1亿 = 100 million, so 10亿 = 1 billion.
            if magnitude >= 10 { return "CNY " + (amount / 10).rounded(scale: 2).exactString + " billion" }
            return "CNY " + (amount * 100).rounded(scale: 2).exactString + " million"
        }
    }

    /// A figure with its unit: money units through `money(yi:)`, tasks ("项") as done/not done,
    /// anything else as the number followed by the unit ("25个", "1000亩"; English "25 个").
    public static func figure(_ value: Decimal, unit: String, _ language: Language = .zh) -> String {
        switch unit {
        case "亿元": return money(yi: value, language)
        case "万元": return money(yi: value / 10_000, language)
        case TargetRecord.taskUnit: return taskState(done: value >= 1, language)
        default:
            let number = value.exactString
            return language == .zh ? number + unit : number + " " + unit
        }
    }

    /// 已完成/未完成; done/not done.
    public static func taskState(done: Bool, _ language: Language = .zh) -> String {
        switch language {
        case .zh: done ? "已完成" : "未完成"
        case .en: done ? "done" : "not done"
        }
    }

    /// A percentage with one decimal place at most ("45.5%").
    public static func percent(_ value: Decimal) -> String {
        value.rounded(scale: 1).exactString + "%"
    }

    /// The CST date of an instant: "2023年11月27日" in Chinese, ISO "2023-11-27" in English.
    public static func date(_ date: Date, _ language: Language = .zh) -> String {
        switch language {
        case .zh:
            let parts = CampaignCalendar().parts(of: date)
            return "\(parts.year)年\(parts.month)月\(parts.day)日"
        case .en: return isoDate(date)
        }
    }

    /// The CST date of an instant in ISO form ("2023-11-27").
    public static func isoDate(_ date: Date) -> String {
        let parts = CampaignCalendar().parts(of: date)
        return String(format: "%04d-%02d-%02d", parts.year, parts.month, parts.day)
    }

    /// The CST date and minute of an instant ("2023-11-27 14:05").
    public static func dateTime(_ date: Date) -> String {
        let parts = CampaignCalendar().parts(of: date)
        return isoDate(date) + String(format: " %02d:%02d", parts.hour, parts.minute)
    }

    /// A period code for people: "2023年1月" / "2023年"; English keeps the code ("2023-01").
    public static func period(_ code: String, _ language: Language = .zh) -> String {
        guard language == .zh else { return code }
        let fields = code.split(separator: "-")
        guard let year = fields.first.flatMap({ Int($0) }) else { return code }
        if fields.count == 2, let month = Int(fields[1]) { return "\(year)年\(month)月" }
        return "\(year)年"
    }
}
