import ArgumentParser
import TallyMessages
import TallyPresentation

/// `tally list`: what the caller's department reports on.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List your department's targets, projects and batches, with ids and versions.",
        discussion: "Example:\n  tally list --token $TALLY_TOKEN"
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let settings = try global.settings(server: connection.server, token: connection.token)
        let lang = settings.language
        let mine = try await connection.withAuthenticatedClient(settings) { try await $0.listMine() }
        Console.out("\(mine.department.name) (\(mine.department.code))")
        Console.out()
        Console.out(lang.pick(zh: "指标", en: "Targets"))
        Console.out(TextTable.render(
            header: [lang.pick(zh: "编号", en: "ID"), lang.pick(zh: "名称", en: "Name"), lang.pick(zh: "当前", en: "Current"),
                     lang.pick(zh: "目标", en: "Target"), lang.pick(zh: "单位", en: "Unit"), lang.pick(zh: "版本", en: "Version")],
            rows: mine.targets.map { t in
                [t.id, t.name, OfficeFormat.decimal(t.currentFigure, digits: 4), OfficeFormat.decimal(t.targetFigure, digits: 4), t.unit, "\(t.version)"]
            },
            rightAligned: [2, 3, 5]))
        Console.out()
        Console.out(lang.pick(zh: "项目", en: "Projects"))
        Console.out(TextTable.render(
            header: [lang.pick(zh: "编号", en: "ID"), lang.pick(zh: "名称", en: "Name"), lang.pick(zh: "阶段", en: "Stage"),
                     lang.pick(zh: "完成投资", en: "Invested"), lang.pick(zh: "进度", en: "Percent"), lang.pick(zh: "版本", en: "Version")],
            rows: mine.projects.map { p in
                [p.id, p.name, OfficeFormat.stage(p.stage, lang), OfficeFormat.money(yi: p.investmentCompleted, .zh),
                 "\(OfficeFormat.decimal(p.percent))%", "\(p.version)"]
            },
            rightAligned: [3, 4, 5]))
        if !mine.batches.isEmpty {
            Console.out()
            Console.out(lang.pick(zh: "项目批次", en: "Batches"))
            Console.out(TextTable.render(
                header: [lang.pick(zh: "编号", en: "ID"), lang.pick(zh: "名称", en: "Name"), lang.pick(zh: "计划个数", en: "Planned"),
                         lang.pick(zh: "计划投资", en: "Investment"), lang.pick(zh: "年度节点", en: "Milestone")],
                rows: mine.batches.map { b in
                    [b.id, b.name, "\(b.plannedCount)",
                     b.plannedInvestment.isEmpty ? "-" : b.investmentQualifier + OfficeFormat.money(yi: b.plannedInvestment, .zh),
                     OfficeFormat.stage(b.milestone, lang)]
                },
                rightAligned: [2, 3]))
        }
    }
}
