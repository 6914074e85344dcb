import Foundation
import TallyMessages

/// The dashboard as one self-contained HTML file: inline CSS and SVG charts, no script, no network
/// (`tally export --format html` and the web side door's `/export.html`).
public struct HTMLExport: Sendable {
    public var lang: Language

    public init(lang: Language) {
        self.lang = lang
    }

    /// Escapes text for HTML content and attributes.
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The colour of a standing (green, amber, red; grey when unspecified).
    public static func color(_ standing: Tally_V1_Standing) -> String {
        switch standing {
        case .met, .onTrack: "#2e9d4f"
        case .amber: "#e0a000"
        case .behind: "#d23c3c"
        default: "#999"
        }
    }

    /// The whole page.
    public func render(_ d: Tally_V1_Dashboard) -> String {
        let e = Self.escape
        let asOf = OfficeFormat.date(Date(timeIntervalSince1970: Double(d.asOfUnixMs) / 1000), lang)
        let title = lang.pick(zh: "创新突破年进度看板", en: "Innovation Breakthrough Year dashboard")
        var html = """
        <!DOCTYPE html>
        <html lang="\(lang == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8"><title>\(e(title)) \(e(asOf))</title>
        <style>body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
        table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px}td.n{text-align:right}
        .met,.on_track{color:#2e9d4f}.amber{color:#b07d00}.behind{color:#d23c3c}h2{margin-top:1.6em}</style></head><body>
        <h1>\(e(title))</h1>
        <p>\(e(OfficeFormat.campaignTiming(d, lang) + lang.pick(zh: " · 总体完成度 \(OfficeFormat.decimal(d.overall.completionPercent, digits: 1))% · 序号 #\(d.sequence)",
                         en: " · overall completion \(OfficeFormat.decimal(d.overall.completionPercent, digits: 1))% · sequence #\(d.sequence)")))</p>
        <p>\(e(lang.pick(zh: "项目 \(d.projectCount) 个 · 计划投资 \(OfficeFormat.money(yi: d.plannedInvestment, .zh)) · 完成投资 \(OfficeFormat.money(yi: d.investmentCompleted, .zh))",
                         en: "\(d.projectCount) projects · planned \(OfficeFormat.money(yi: d.plannedInvestment, lang)) · invested \(OfficeFormat.money(yi: d.investmentCompleted, lang))")))</p>

        """
        if !d.notReported.isEmpty {
            let names = Dictionary(d.departments.map { ($0.department.code, $0.department.name) }, uniquingKeysWith: { a, _ in a })
            html += "<p class=\"behind\">\(e(lang.pick(zh: "本期未上报：", en: "Not reported this period: ")))\(e(d.notReported.map { names[$0] ?? $0 }.joined(separator: "、")))</p>\n"
        }
        html += "<h2>\(e(lang.pick(zh: "部门与条线完成度", en: "Completion by department and line")))</h2>\n"
        html += completionChart(d).render() + "\n"
        html += "<h2>\(e(lang.pick(zh: "各阶段完成投资", en: "Investment by stage")))</h2>\n"
        html += stageChart(d).render() + "\n"
        html += insightSections(d)
        html += targetTables(d)
        return html + "</body></html>\n"
    }

    private func completionChart(_ d: Tally_V1_Dashboard) -> SVGBarChart {
        var bars: [SVGBarChart.Bar] = []
        for department in d.departments {
            bars.append(bar(department.department.name, department.progress))
            bars += department.lines.map { bar("  " + $0.line.name, $0.progress) }
        }
        let elapsed = Decimal(string: d.elapsedPercent) ?? 0
        return SVGBarChart(bars: bars, maximum: 100,
                           marker: (elapsed, lang.pick(zh: "时间进度 \(OfficeFormat.decimal(elapsed, digits: 1))%", en: "elapsed \(OfficeFormat.decimal(elapsed, digits: 1))%")))
    }

    private func bar(_ label: String, _ p: Tally_V1_Progress) -> SVGBarChart.Bar {
        SVGBarChart.Bar(label: label, value: Decimal(string: p.completionPercent) ?? 0,
                        text: "\(OfficeFormat.decimal(p.completionPercent, digits: 1))% \(OfficeFormat.standing(p.standing, lang))",
                        color: Self.color(p.standing))
    }

    private func stageChart(_ d: Tally_V1_Dashboard) -> SVGBarChart {
        let values = d.stages.map { Decimal(string: $0.investmentCompleted) ?? 0 }
        let bars = zip(d.stages, values).map { stage, value in
            SVGBarChart.Bar(label: OfficeFormat.stage(stage.stage, lang), value: value,
                            text: lang.pick(zh: "\(OfficeFormat.money(yi: stage.investmentCompleted, .zh))（\(stage.projects) 个）",
                                            en: "\(OfficeFormat.money(yi: stage.investmentCompleted, lang)) (\(stage.projects))"),
                            color: "#3b6fb6")
        }
        return SVGBarChart(bars: bars, maximum: values.max() ?? 1, marker: nil)
    }

    private func targetTables(_ d: Tally_V1_Dashboard) -> String {
        let e = Self.escape
        var html = ""
        let head = lang == .zh ? ["指标", "当前值", "目标值", "单位", "完成度", "状态"] : ["Target", "Current", "Target figure", "Unit", "Completion", "Standing"]
        for department in d.departments {
            html += "<h2>\(e(department.department.name))</h2>\n<p>\(e(OfficeFormat.departmentInvestment(department, lang)))</p>\n"
            html += "<table><tr>" + head.map { "<th>\(e($0))</th>" }.joined() + "</tr>\n"
            for status in department.targets {
                let t = status.target
                let css = ["", "met", "on_track", "amber", "behind"][min(max(status.standing.rawValue, 0), 4)]
                html += "<tr><td>\(e(t.name))</td><td class=\"n\">\(e(t.currentFigure))</td><td class=\"n\">\(e(t.targetFigure))</td><td>\(e(t.unit))</td>"
                html += "<td class=\"n\">\(e(OfficeFormat.decimal(status.completionPercent, digits: 1)))%</td><td class=\"\(css)\">\(e(OfficeFormat.standing(status.standing, lang)))</td></tr>\n"
            }
            html += "</table>\n"
        }
        return html
    }
}
