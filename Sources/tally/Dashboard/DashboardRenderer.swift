import Foundation
import TallyCore
import TallyMessages
import TallyPresentation

/// Renders a dashboard as terminal lines, columns aligned even with Chinese names.
struct DashboardRenderer: Sendable {
    var lang: Language
    var palette: Palette
    /// Whether to list every target (otherwise only those behind or amber).
    var allTargets = false
    /// Date changes by the campaign period they count for (2023-11) rather than the wall clock at
    /// which they were committed: for the demo, which replays 2023 today.
    var campaignDates = false

    private let nameWidth = 22
    /// Wide enough for "met 99 ok 99 amber 99 behind 99 / 99", so no column runs into the next.
    private var countsWidth: Int { lang == .en ? 38 : 32 }

    /// The whole view.
    func render(_ dashboard: Tally_V1_Dashboard) -> [String] {
        var lines = header(dashboard)
        lines.append("")
        lines += departmentTable(dashboard)
        lines.append("")
        lines += targetList(dashboard)
        lines += stageList(dashboard)
        return lines
    }

    private func header(_ d: Tally_V1_Dashboard) -> [String] {
        let asOf = OfficeFormat.date(Date(timeIntervalSince1970: Double(d.asOfUnixMs) / 1000), lang)
        var lines = [palette.bold(lang.pick(zh: "创新突破年 · 进度看板", en: "Innovation Breakthrough Year · dashboard"))
            + "  " + lang.pick(
                zh: "截至 \(asOf) · 时间进度 \(OfficeFormat.decimal(d.elapsedPercent, digits: 1))% · 容差 \(OfficeFormat.decimal(d.tolerancePercent))% · 序号 #\(d.sequence)",
                en: "as of \(asOf) · time elapsed \(OfficeFormat.decimal(d.elapsedPercent, digits: 1))% · tolerance \(OfficeFormat.decimal(d.tolerancePercent))% · sequence #\(d.sequence)")]
        lines.append(progressLine(lang.pick(zh: "全区总体", en: "Overall"), d.overall, indent: 0))
        lines.append(lang.pick(
            zh: "项目 \(d.projectCount) 个（跨部门项目只计一次）· 计划投资 \(OfficeFormat.money(yi: d.plannedInvestment, .zh)) · 完成投资 \(OfficeFormat.money(yi: d.investmentCompleted, .zh))",
            en: "\(d.projectCount) projects (shared ones counted once) · planned \(OfficeFormat.money(yi: d.plannedInvestment, lang)) · invested \(OfficeFormat.money(yi: d.investmentCompleted, lang))"))
        let names = Dictionary(d.departments.map { ($0.department.code, $0.department.name) }, uniquingKeysWith: { a, _ in a })
        let silent = d.notReported.map { names[$0] ?? $0 }
        lines.append(silent.isEmpty
            ? lang.pick(zh: "本期（\(d.period)）各部门均已上报", en: "Every department has reported in \(d.period)")
            : palette.paint(lang.pick(zh: "本期（\(d.period)）未上报：\(silent.joined(separator: "、"))",
                                      en: "Not reported in \(d.period): \(silent.joined(separator: ", "))"), .behind))
        return lines
    }

    /// One aligned row: name, bar, percent, standing, counts.
    func progressLine(_ name: String, _ p: Tally_V1_Progress, indent: Int, extra: String = "") -> String {
        let label = DisplayWidth.fit(String(repeating: " ", count: indent) + name, to: nameWidth)
        let percent = DisplayWidth.fit(OfficeFormat.decimal(p.completionPercent, digits: 1) + "%", to: 7, alignRight: true)
        let standing = DisplayWidth.fit(OfficeFormat.standing(p.standing, lang), to: 8)
        let counts = lang.pick(zh: "达成\(p.met) 正常\(p.onTrack) 预警\(p.amber) 滞后\(p.behind) / \(p.total)",
                               en: "met \(p.met) ok \(p.onTrack) amber \(p.amber) behind \(p.behind) / \(p.total)")
        return "\(label) \(palette.paint(Palette.bar(p.completionPercent), p.standing)) \(percent)  \(palette.paint(standing, p.standing)) \(DisplayWidth.fit(counts, to: countsWidth))\(extra.isEmpty ? "" : "  " + extra)"
    }

    private func departmentTable(_ d: Tally_V1_Dashboard) -> [String] {
        var lines = [palette.dim(DisplayWidth.fit(lang.pick(zh: "部门 / 条线", en: "Department / line"), to: nameWidth)
            + " " + DisplayWidth.fit(lang.pick(zh: "完成度", en: "completion"), to: 28)
            + "  " + DisplayWidth.fit(lang.pick(zh: "状态", en: "standing"), to: 8)
            + " " + DisplayWidth.fit(lang.pick(zh: "指标", en: "targets"), to: countsWidth)
            + "  " + lang.pick(zh: "完成投资 · 最近上报", en: "invested · last report"))]
        for department in d.departments {
            let reported = department.reportedThisPeriod ? "" : lang.pick(zh: "（本期未报）", en: " (silent)")
            let last = campaignDates ? (department.reportedThisPeriod ? d.period : "-") : OfficeFormat.dateTime(unixMs: department.lastReportUnixMs)
            let extra = "\(OfficeFormat.money(yi: department.investmentCompleted, lang)) · \(last)\(reported)\(OfficeFormat.lateness(department, lang))"
            lines.append(progressLine(department.department.name, department.progress, indent: 0, extra: extra))
            for line in department.lines {
                lines.append(progressLine(line.line.name, line.progress, indent: 2))
            }
        }
        return lines
    }

    private func targetList(_ d: Tally_V1_Dashboard) -> [String] {
        var lines: [String] = []
        for department in d.departments {
            let targets = department.targets.filter { allTargets || $0.standing == .behind || $0.standing == .amber }
            guard !targets.isEmpty else { continue }
            lines.append(palette.bold(department.department.name + lang.pick(zh: allTargets ? " · 全部指标" : " · 滞后与预警指标",
                                                                             en: allTargets ? " · all targets" : " · targets behind or amber")))
            for status in targets {
                let t = status.target
                // A task without a number (unit 项) reads as done / not done rather than 0/1 项.
                let figures = t.unit == TargetRecord.taskUnit
                    ? OfficeFormat.taskState(done: (Decimal(string: t.currentFigure) ?? 0) >= 1, lang)
                    : "\(OfficeFormat.decimal(t.currentFigure, digits: 2))/\(OfficeFormat.decimal(t.targetFigure, digits: 2)) \(t.unit)"
                lines.append("  " + DisplayWidth.fit(t.name, to: 34) + " " + DisplayWidth.fit(figures, to: 18, alignRight: true) + " "
                    + DisplayWidth.fit(OfficeFormat.decimal(status.completionPercent, digits: 1) + "%", to: 7, alignRight: true) + "  "
                    + palette.paint(OfficeFormat.standing(status.standing, lang), status.standing))
            }
            lines.append("")
        }
        return lines
    }

    private func stageList(_ d: Tally_V1_Dashboard) -> [String] {
        guard !d.stages.isEmpty else { return [] }
        var lines = [palette.bold(lang.pick(zh: "项目阶段", en: "Projects by stage"))]
        for stage in d.stages {
            lines.append("  " + DisplayWidth.fit(OfficeFormat.stage(stage.stage, lang), to: 20)
                + DisplayWidth.fit(lang.pick(zh: "\(stage.projects) 个", en: "\(stage.projects)"), to: 8, alignRight: true)
                + "  " + DisplayWidth.fit(OfficeFormat.money(yi: stage.investmentCompleted, .zh), to: 14, alignRight: true))
        }
        return lines
    }

    /// One line describing a change, for the live view and the demo.
    func changeLine(_ event: Tally_V1_ChangeEvent) -> String {
        let c = event.change
        let time = campaignDates ? c.period : OfficeFormat.dateTime(unixMs: c.committedUnixMs)
        let subject = event.hasTarget ? event.target.target.name : (event.hasProject ? event.project.name : c.subjectID)
        let standing = event.hasTarget ? " " + palette.paint(OfficeFormat.standing(event.target.standing, lang), event.target.standing) : ""
        return "#\(c.sequence) \(time) \(c.department) \(subject) \(ChangeText.summary(c, lang: lang))\(standing)"
    }
}
