import Foundation
import TallyCore
import TallyMessages
import TallyPresentation

/// Renders a dashboard as terminal lines, one section at a time, every line at most `width` columns:
/// each column is cut and padded to its own width (Chinese counting two), so columns never run
/// into each other in either language; what does not fit is cut with "…".
struct DashboardRenderer: Sendable {
    var lang: Language
    var palette: Palette
    /// Whether to list every target (otherwise only those behind or amber).
    var allTargets = false
    /// Columns available.
    var width = 160
    /// Date changes by the campaign period they count for (2023-11) rather than the wall clock at
    /// which they were committed: for the demo, which replays 2023 today.
    var campaignDates = false

    private var nameWidth: Int { min(22, max(12, width / 5)) }
    private var barWidth: Int { width >= 120 ? 20 : 10 }
    private var standingWidth: Int { lang == .zh ? 6 : 8 }
    /// Wide enough for "met 99 ok 99 amber 99 behind 99 / 99", so no column runs into the next.
    private var countsWidth: Int { lang == .en ? 38 : 32 }
    private var showsCounts: Bool { width >= 120 }

    /// Every section but the live changes, one after another (`--once` without `--section`).
    func render(_ dashboard: Tally_V1_Dashboard) -> [String] {
        [DashboardSection.summary, .departments, .targets, .stages, .insight].flatMap { render(dashboard, section: $0) + [""] }
    }

    /// One section.
    func render(_ d: Tally_V1_Dashboard, section: DashboardSection, recent: [Tally_V1_ChangeEvent] = []) -> [String] {
        switch section {
        case .summary: header(d) + warningSummary(d) + [""] + departmentTable(d, withLines: false)
        case .insight: insightSection(d)
        case .departments: departmentTable(d, withLines: true)
        case .targets: targetList(d)
        case .stages: stageList(d) + [""] + batchList(d)
        case .changes:
            [palette.bold(fit(lang.pick(zh: "最近变化", en: "Recent changes")))]
                + (recent.isEmpty ? [fit(lang.pick(zh: "（连接后的变化显示在这里）", en: "(changes since connecting show here)"))]
                                  : recent.reversed().map { fit("  " + changeLine($0, painted: false)) })
        }
    }

    /// The section tabs, the current one marked.
    func tabs(_ current: DashboardSection) -> String {
        let items = DashboardSection.allCases.map { $0 == current ? "[\($0.tab(lang))]" : " \($0.tab(lang)) " }
        let hint = lang.pick(zh: "  ←/→ 翻页 · q 退出", en: "  ←/→ page · q quit")
        let line = fit(items.joined(separator: " ") + hint)
        return palette.dim(line)
    }

    private func fit(_ text: String) -> String { DisplayWidth.truncate(text, to: width) }

    private func header(_ d: Tally_V1_Dashboard) -> [String] {
        var lines = [palette.bold(fit(lang.pick(zh: "创新突破年 · 进度看板", en: "Innovation Breakthrough Year · dashboard")))]
        lines.append(fit(OfficeFormat.campaignTiming(d, lang) + lang.pick(
            zh: " · 容差 \(OfficeFormat.decimal(d.tolerancePercent))% · 序号 #\(d.sequence)",
            en: " · tolerance \(OfficeFormat.decimal(d.tolerancePercent))% · sequence #\(d.sequence)")))
        lines.append(progressLine(lang.pick(zh: "全区总体", en: "Overall"), d.overall, indent: 0))
        lines.append(fit(lang.pick(
            zh: "项目 \(d.projectCount) 个（跨部门只计一次）· 计划 \(OfficeFormat.money(yi: d.plannedInvestment, .zh)) · 完成 \(OfficeFormat.money(yi: d.investmentCompleted, .zh))",
            en: "\(d.projectCount) projects (shared once) · planned \(OfficeFormat.money(yi: d.plannedInvestment, lang)) · invested \(OfficeFormat.money(yi: d.investmentCompleted, lang))")))
        let names = Dictionary(d.departments.map { ($0.department.code, $0.department.name) }, uniquingKeysWith: { a, _ in a })
        let silent = d.notReported.map { names[$0] ?? $0 }
        if let missing = OfficeFormat.notReported(d, names: silent, lang) {
            // Silence in a running month is a warning; in a finished campaign's last month, a fact.
            lines.append(d.finished ? palette.dim(fit(missing)) : palette.paint(fit(missing), .behind))
        } else {
            lines.append(fit(lang.pick(zh: "本期（\(d.period)）各部门均已上报", en: "Every department has reported in \(d.period)")))
        }
        return lines
    }

    /// One aligned row: name, bar, percent, standing, counts (when wide), then `extra` in what is left.
    func progressLine(_ name: String, _ p: Tally_V1_Progress, indent: Int, extra: String = "") -> String {
        let label = DisplayWidth.fit(String(repeating: " ", count: indent) + name, to: nameWidth)
        let percent = DisplayWidth.fit(OfficeFormat.decimal(p.completionPercent, digits: 1) + "%", to: 7, alignRight: true)
        let standing = DisplayWidth.fit(OfficeFormat.standing(p.standing, lang), to: standingWidth)
        var used = nameWidth + 1 + barWidth + 1 + 7 + 2 + standingWidth
        var line = "\(label) \(palette.paint(Palette.bar(p.completionPercent, width: barWidth), p.standing)) \(percent)  \(palette.paint(standing, p.standing))"
        if showsCounts {
            // Missed targets exist only once their period has ended: then met or missed is all there is.
            let counts = p.missed > 0
                ? lang.pick(zh: "达成\(p.met) 未完成\(p.missed) / \(p.total)", en: "met \(p.met) missed \(p.missed) / \(p.total)")
                : lang.pick(zh: "达成\(p.met) 正常\(p.onTrack) 预警\(p.amber) 滞后\(p.behind) / \(p.total)",
                            en: "met \(p.met) ok \(p.onTrack) amber \(p.amber) behind \(p.behind) / \(p.total)")
            line += " " + DisplayWidth.fit(counts, to: countsWidth)
            used += countsWidth + 1
        }
        if !extra.isEmpty, width - used - 1 >= 6 {
            line += " " + DisplayWidth.truncate(extra, to: width - used - 1)
        }
        return line
    }

    private func departmentTable(_ d: Tally_V1_Dashboard, withLines: Bool) -> [String] {
        var head = DisplayWidth.fit(lang.pick(zh: withLines ? "部门 / 条线" : "部门", en: withLines ? "Department / line" : "Department"), to: nameWidth)
            + " " + DisplayWidth.fit(lang.pick(zh: "完成度", en: "completion"), to: barWidth + 8)
            + "  " + DisplayWidth.fit(lang.pick(zh: "状态", en: "standing"), to: standingWidth)
        if showsCounts { head += " " + DisplayWidth.fit(lang.pick(zh: "指标", en: "targets"), to: countsWidth) }
        head += " " + lang.pick(zh: "完成投资 · 最近上报", en: "invested · last report")
        var lines = [palette.dim(fit(head))]
        for department in d.departments {
            let reported = department.reportedThisPeriod ? ""
                : d.finished ? lang.pick(zh: "（最后一期未报）", en: " (no last report)") : lang.pick(zh: "（本期未报）", en: " (silent)")
            let last = campaignDates ? (department.reportedThisPeriod ? d.period : "-") : OfficeFormat.dateTime(unixMs: department.lastReportUnixMs)
            let extra = "\(OfficeFormat.departmentInvestment(department, lang, short: true)) · \(last)\(reported)\(OfficeFormat.lateness(department, lang))"
            lines.append(progressLine(department.department.name, department.progress, indent: 0, extra: extra))
            guard withLines else { continue }
            for line in department.lines {
                lines.append(progressLine(line.line.name, line.progress, indent: 2))
            }
        }
        return lines
    }

    private func targetList(_ d: Tally_V1_Dashboard) -> [String] {
        var lines: [String] = []
        let targetWidth = max(12, min(34, width - 36))
        for department in d.departments {
            let targets = department.targets.filter {
                allTargets || $0.standing == .behind || $0.standing == .amber || $0.standing == .missed
            }
            guard !targets.isEmpty else { continue }
            let heading = allTargets ? lang.pick(zh: " · 全部指标", en: " · all targets")
                : d.finished ? lang.pick(zh: " · 未完成指标", en: " · targets missed")
                : lang.pick(zh: " · 滞后与预警指标", en: " · targets behind or amber")
            lines.append(palette.bold(fit(department.department.name + heading)))
            for status in targets {
                let t = status.target
                // A task without a number (unit 项) reads as done / not done rather than 0/1 项.
                let figures = t.unit == TargetRecord.taskUnit
                    ? OfficeFormat.taskState(done: (Decimal(string: t.currentFigure) ?? 0) >= 1, lang)
                    : "\(OfficeFormat.decimal(t.currentFigure, digits: 2))/\(OfficeFormat.decimal(t.targetFigure, digits: 2)) \(t.unit)"
                lines.append("  " + DisplayWidth.fit(t.name, to: targetWidth) + " " + DisplayWidth.fit(figures, to: 18, alignRight: true) + " "
                    + DisplayWidth.fit(OfficeFormat.decimal(status.completionPercent, digits: 1) + "%", to: 7, alignRight: true) + " "
                    + palette.paint(DisplayWidth.fit(OfficeFormat.standing(status.standing, lang), to: standingWidth), status.standing))
            }
        }
        return lines.isEmpty ? [fit(lang.pick(zh: "没有滞后或预警的指标", en: "No target is behind or amber"))] : lines
    }

    private func stageList(_ d: Tally_V1_Dashboard) -> [String] {
        guard !d.stages.isEmpty else { return [] }
        var lines = [palette.bold(fit(lang.pick(zh: "项目阶段", en: "Projects by stage")))]
        for stage in d.stages {
            lines.append(fit("  " + DisplayWidth.fit(OfficeFormat.stage(stage.stage, lang), to: 20)
                + DisplayWidth.fit(lang.pick(zh: "\(stage.projects) 个", en: "\(stage.projects)"), to: 8, alignRight: true)
                + "  " + DisplayWidth.fit(OfficeFormat.money(yi: stage.investmentCompleted, lang), to: 20, alignRight: true)))
        }
        return lines
    }

    private func batchList(_ d: Tally_V1_Dashboard) -> [String] {
        guard !d.batches.isEmpty else { return [] }
        let nameColumn = max(12, min(30, width - 50))
        var lines = [palette.bold(fit(lang.pick(zh: "批次：计划 / 完成投资", en: "Batches: planned / invested")))]
        for batch in d.batches {
            let planned = batch.batch.plannedInvestment.isEmpty ? "-" : batch.batch.investmentQualifier + OfficeFormat.money(yi: batch.batch.plannedInvestment, lang)
            lines.append(fit("  " + DisplayWidth.fit(batch.batch.name, to: nameColumn) + " "
                + DisplayWidth.fit(planned, to: 20, alignRight: true) + " / "
                + DisplayWidth.fit(OfficeFormat.money(yi: batch.investmentCompleted, lang), to: 20)))
        }
        return lines
    }

    /// One line describing a change, for the live view and the demo.
    func changeLine(_ event: Tally_V1_ChangeEvent, painted: Bool = true) -> String {
        let c = event.change
        let time = campaignDates ? c.period : OfficeFormat.dateTime(unixMs: c.committedUnixMs)
        let subject = event.hasTarget ? event.target.target.name : (event.hasProject ? event.project.name : c.subjectID)
        let label = OfficeFormat.standing(event.target.standing, lang)
        let standing = event.hasTarget ? " " + (painted ? palette.paint(label, event.target.standing) : label) : ""
        return "#\(c.sequence) \(time) \(c.department) \(subject) \(ChangeText.summary(c, lang: lang))\(standing)"
    }
}
