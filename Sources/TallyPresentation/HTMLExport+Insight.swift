import Foundation
import TallyMessages

extension HTMLExport {
    /// The early warnings, the ranking (红黑榜) with its rule, and the forecast per department.
    func insightSections(_ d: Tally_V1_Dashboard) -> String {
        let e = Self.escape
        let names = Dictionary(d.departments.map { ($0.department.code, $0.department.name) }, uniquingKeysWith: { a, _ in a })
        var html = "<h2>\(e(lang.pick(zh: "预警", en: "Early warnings")))</h2>\n"
        if d.warnings.isEmpty {
            html += "<p>\(e(lang.pick(zh: "当前没有预警。", en: "No warnings stand.")))</p>\n"
        } else {
            html += "<ul class=\"warnings\">\n"
            html += d.warnings.map { "<li class=\"behind\">\(e(InsightText.line($0, lang, names: names)))</li>" }.joined(separator: "\n")
            html += "\n</ul>\n"
        }
        if !d.ranking.rows.isEmpty {
            html += "<h2>\(e(lang.pick(zh: "红黑榜 \(d.ranking.period)", en: "Ranking \(d.ranking.period)")))</h2>\n<table><tr>"
            html += InsightText.rankingHeader(lang).map { "<th>\(e($0))</th>" }.joined() + "</tr>\n"
            for row in d.ranking.rows {
                let css = row.board == .red ? " class=\"met\"" : row.board == .black ? " class=\"behind\"" : ""
                html += "<tr\(css)>" + InsightText.rankingCells(row, lang, names: names).map { "<td>\(e($0))</td>" }.joined() + "</tr>\n"
            }
            html += "</table>\n<p class=\"rule\">\(e(InsightText.rankingRule(lang)))</p>\n"
        }
        if !d.forecast.departments.isEmpty {
            let head = lang == .zh
                ? ["部门", "数值指标", "已完成", "可完成", "有风险", "难完成", "数据不足", "预测完成度"]
                : ["Department", "Numeric targets", "Met", "On course", "At risk", "Off course", "No history", "Projected completion"]
            html += "<h2>\(e(lang.pick(zh: "年末预测（剩余 \(d.forecast.monthsLeft) 个月，按近三个月进度）", en: "Forecast to the campaign's end (\(d.forecast.monthsLeft) months left, at the last three months' pace)")))</h2>\n<table><tr>"
            html += head.map { "<th>\(e($0))</th>" }.joined() + "</tr>\n"
            for rollup in d.forecast.departments {
                let cells = [names[rollup.department] ?? rollup.department, "\(rollup.total)", "\(rollup.met)", "\(rollup.onCourse)",
                             "\(rollup.atRisk)", "\(rollup.offCourse)", "\(rollup.noHistory)", "\(rollup.projectedCompletionPercent)%"]
                html += "<tr>" + cells.map { "<td>\(e($0))</td>" }.joined() + "</tr>\n"
            }
            html += "</table>\n"
        }
        return html
    }
}
