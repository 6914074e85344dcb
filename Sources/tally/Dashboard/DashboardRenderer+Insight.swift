import Foundation
import TallyMessages
import TallyPresentation

extension DashboardRenderer {
    /// The warnings standing, on one line of the summary (nothing when there are none).
    func warningSummary(_ d: Tally_V1_Dashboard) -> [String] {
        guard !d.warnings.isEmpty else { return [] }
        let kinds = Dictionary(grouping: d.warnings, by: \.kind).sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\(InsightText.kind($0.key, lang)) \($0.value.count)" }.joined(separator: " · ")
        return [palette.paint(DisplayWidth.truncate(lang.pick(zh: "预警 \(d.warnings.count) 条：", en: "\(d.warnings.count) warning(s): ") + kinds, to: width),
                              .behind)]
    }

    /// Warnings, the ranking (红黑榜) with its rule, and the forecast per department.
    func insightSection(_ d: Tally_V1_Dashboard) -> [String] {
        let names = Dictionary(d.departments.map { ($0.department.code, $0.department.name) }, uniquingKeysWith: { a, _ in a })
        let cut = { (text: String) in DisplayWidth.truncate(text, to: width) }
        var lines = [palette.bold(cut(lang.pick(zh: "预警", en: "Early warnings")))]
        lines += d.warnings.isEmpty ? [cut(lang.pick(zh: "  当前没有预警。", en: "  No warnings stand."))]
                                    : d.warnings.map { cut("  " + InsightText.line($0, lang, names: names)) }
        if !d.ranking.rows.isEmpty {
            lines += ["", palette.bold(cut(lang.pick(zh: "红黑榜 \(d.ranking.period)", en: "Ranking \(d.ranking.period)")))]
            lines += TextTable.render(header: InsightText.rankingHeader(lang),
                                      rows: d.ranking.rows.map { InsightText.rankingCells($0, lang, names: names) },
                                      rightAligned: [0, 2, 3]).split(separator: "\n").map { cut(String($0)) }
            lines += DisplayWidth.wrap(InsightText.rankingRule(lang), to: width)
        }
        if !d.forecast.departments.isEmpty {
            lines += ["", palette.bold(cut(lang.pick(zh: "年末预测（剩余 \(d.forecast.monthsLeft) 个月）", en: "Forecast to the end (\(d.forecast.monthsLeft) months left)")))]
            for rollup in d.forecast.departments {
                lines.append(cut("  " + (names[rollup.department] ?? rollup.department) + lang.pick(
                    zh: "：预测完成度 \(rollup.projectedCompletionPercent)%，可完成 \(rollup.onCourse)、有风险 \(rollup.atRisk)、难完成 \(rollup.offCourse)、已完成 \(rollup.met)",
                    en: ": projected \(rollup.projectedCompletionPercent)%, on course \(rollup.onCourse), at risk \(rollup.atRisk), off course \(rollup.offCourse), met \(rollup.met)")))
            }
        }
        return lines
    }
}
