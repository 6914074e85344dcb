import Foundation
import TallyMessages

/// How a dashboard says where the campaign stands: running (as of a date, so much time elapsed) or
/// finished (已结束, its final state), and who has not reported in the period it shows.
extension OfficeFormat {
    /// "截至 2023-11-27 · 时间进度 90.7%" while running; "2023 年度已结束 · 最终状态（截至 2026-11-30）" once finished.
    public static func campaignTiming(_ dashboard: Tally_V1_Dashboard, _ language: Language) -> String {
        let asOf = date(Date(timeIntervalSince1970: Double(dashboard.asOfUnixMs) / 1000), language)
        if dashboard.finished {
            return language.pick(zh: "\(dashboard.campaign) 年度已结束 · 最终状态（截至 \(asOf)）",
                                 en: "the \(dashboard.campaign) campaign has finished · final state (as of \(asOf))")
        }
        let elapsed = decimal(dashboard.elapsedPercent, digits: 1)
        return language.pick(zh: "截至 \(asOf) · 时间进度 \(elapsed)%", en: "as of \(asOf) · time elapsed \(elapsed)%")
    }

    /// Who has not reported in the dashboard's period (the current month, or a finished campaign's last one),
    /// given the departments' display names; nil when everyone has.
    public static func notReported(_ dashboard: Tally_V1_Dashboard, names: [String], _ language: Language) -> String? {
        guard !names.isEmpty else { return nil }
        let period = dashboard.period
        return dashboard.finished
            ? language.pick(zh: "最后一期（\(period)）未上报：\(names.joined(separator: "、"))",
                            en: "No report for the last period (\(period)): \(names.joined(separator: ", "))")
            : language.pick(zh: "本期（\(period)）未上报：\(names.joined(separator: "、"))",
                            en: "Not reported in \(period): \(names.joined(separator: ", "))")
    }
}
