import TallyMessages
import TallyPresentation

/// The text of `tally list`: the campaign, then per department its targets, projects (with the
/// leading department and co-reporting departments' own shares) and batches, in aligned tables.
struct PlanListingRenderer {
    var lang: Language
    var plan: Tally_V1_ListPlanResponse
    /// Other departments the projects name (a department's own listing), shown by name like its own.
    var partners: [Tally_V1_Department] = []

    func lines() -> [String] {
        let names = Dictionary((plan.departments + partners).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        var out: [String] = plan.campaign.isEmpty ? [] : [lang.pick(zh: "\(plan.campaign) 年度计划", en: "The \(plan.campaign) plan")]
        for (index, department) in plan.departments.enumerated() {
            // One blank line under the campaign's heading, two between departments.
            if !out.isEmpty { out += index == 0 ? [""] : ["", ""] }
            out.append("\(department.name) (\(department.code))")
            out += section(lang.pick(zh: "指标", en: "Targets"), targets(plan.targets.filter { $0.department == department.code }))
            let projects = plan.projects.filter { $0.leadDepartment == department.code || $0.coDepartments.contains(department.code) }
            let shown = plan.departments.count == 1 ? projects : projects.filter { $0.leadDepartment == department.code }
            out += section(lang.pick(zh: "项目", en: "Projects"), self.projects(shown, names: names))
            let batches = plan.batches.filter { $0.department == department.code }
            if !batches.isEmpty { out += section(lang.pick(zh: "项目批次", en: "Batches"), self.batches(batches)) }
        }
        return out
    }

    private func section(_ title: String, _ table: String) -> [String] {
        ["", title, table]
    }

    private func targets(_ targets: [Tally_V1_Target]) -> String {
        TextTable.render(
            header: [lang.pick(zh: "编号", en: "ID"), lang.pick(zh: "名称", en: "Name"), lang.pick(zh: "当前", en: "Current"),
                     lang.pick(zh: "目标", en: "Target"), lang.pick(zh: "单位", en: "Unit"), lang.pick(zh: "版本", en: "Version")],
            rows: targets.map { t in
                [t.id, t.name, OfficeFormat.decimal(t.currentFigure, digits: 4), OfficeFormat.decimal(t.targetFigure, digits: 4), t.unit, "\(t.version)"]
            },
            rightAligned: [2, 3, 5])
    }

    private func projects(_ projects: [Tally_V1_Project], names: [String: String]) -> String {
        TextTable.render(
            header: [lang.pick(zh: "编号", en: "ID"), lang.pick(zh: "名称", en: "Name"), lang.pick(zh: "牵头", en: "Lead"),
                     lang.pick(zh: "阶段", en: "Stage"), lang.pick(zh: "完成投资", en: "Invested"),
                     lang.pick(zh: "其中协同份额", en: "Of which shares"), lang.pick(zh: "进度", en: "Percent"),
                     lang.pick(zh: "版本", en: "Version")],
            rows: projects.map { p in
                let co = p.coDepartments.isEmpty ? "" : lang.pick(zh: "（协同：", en: " (with ") + p.coDepartments.map { names[$0] ?? $0 }
                    .joined(separator: lang.pick(zh: "、", en: ", ")) + lang.pick(zh: "）", en: ")")
                let shares = p.shares.isEmpty ? "-" : p.shares.map { "\(names[$0.department] ?? $0.department) \(OfficeFormat.money(yi: $0.investmentCompleted))" }
                    .joined(separator: lang.pick(zh: "、", en: ", "))
                return [p.id, p.name, (names[p.leadDepartment] ?? p.leadDepartment) + co, OfficeFormat.stage(p.stage, lang),
                        OfficeFormat.money(yi: p.investmentCompleted), shares, "\(OfficeFormat.decimal(p.percent))%", "\(p.version)"]
            },
            rightAligned: [4, 6, 7])
    }

    private func batches(_ batches: [Tally_V1_Batch]) -> String {
        TextTable.render(
            header: [lang.pick(zh: "编号", en: "ID"), lang.pick(zh: "名称", en: "Name"), lang.pick(zh: "计划个数", en: "Planned"),
                     lang.pick(zh: "计划投资", en: "Investment"), lang.pick(zh: "年度节点", en: "Milestone")],
            rows: batches.map { b in
                [b.id, b.name, "\(b.plannedCount)",
                 b.plannedInvestment.isEmpty ? "-" : b.investmentQualifier + OfficeFormat.money(yi: b.plannedInvestment),
                 OfficeFormat.stage(b.milestone, lang)]
            },
            rightAligned: [2, 3])
    }
}
