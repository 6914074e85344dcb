import ArgumentParser
import Foundation
import TallyCore
import TallyMessages
import TallyPresentation

/// `tally plan validate|diff|apply|export`: a campaign's plan as a file (admin token for the server's).
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Check, compare, apply or export a campaign's plan file (admin token; validate needs none).",
        discussion: """
        A plan file is a campaign's plan as JSON (format: Schema/PLAN-FORMAT.md, JSON Schema: \
        Schema/plan.schema.json). Errors name the file, line and field.

        Example: next year's plan, checked, compared, applied, and read back:
          tally plan validate plan-2024.json
          tally plan diff plan-2024.json
          tally plan apply plan-2024.json
          tally plan export --campaign 2024 --output plan-2024.json
        """,
        subcommands: [PlanValidateCommand.self, PlanDiffCommand.self, PlanApplyCommand.self, PlanExportCommand.self]
    )

    /// Sends a plan file to Admin/ApplyPlan (a dry run only compares).
    static func send(_ plan: PlanFileArgument, dryRun: Bool, _ connection: ConnectionOptions) async throws
        -> (Tally_V1_ApplyPlanResponse, Language)
    {
        let settings = try connection.settings()
        let text = try plan.text(settings.language)
        let answer = try await connection.withAuthenticatedClient(settings) { client in
            try await client.applyPlan(document: text, fileName: plan.file, dryRun: dryRun)
        }
        return (answer, settings.language)
    }

    /// Prints what a plan changes (or would), then what it leaves as it is.
    static func printChanges(_ changes: [String], kept: [String], applied: Bool, _ lang: Language) {
        if changes.isEmpty {
            Console.out(lang.pick(zh: "无变化：数据库与文件一致", en: "no changes: the database already holds this plan"))
        }
        for change in changes { Console.out(lang.says((applied ? "applied: " : "") + change)) }
        for line in kept { Console.out(lang.says(line)) }
    }
}

/// `tally plan validate FILE`: checks a plan file on this machine, without a server.
struct PlanValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a plan file's shape and references (no server needed).",
        discussion: "Example:\n  tally plan validate plan-2024.json")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var plan: PlanFileArgument

    func run() async throws {
        let lang = try global.settings().language
        let file = self.plan.file
        do {
            let plan = try PlanFile.parse(try self.plan.text(lang), file: file)
            Console.out(lang.pick(
                zh: "\(file)：有效 · \(plan.year) \(plan.campaign) · 部门 \(plan.departments.count) · 条线 \(plan.lines.count) · 期间 \(plan.periods.count) · 指标 \(plan.targets.count) · 批次 \(plan.batches.count) · 项目 \(plan.projects.count)",
                en: "\(file): valid · \(plan.year) \(plan.campaign) · \(plan.departments.count) departments, \(plan.lines.count) lines, \(plan.periods.count) periods, \(plan.targets.count) targets, \(plan.batches.count) batches, \(plan.projects.count) projects"))
        } catch let error as PlanFileError {
            throw CLIError(.usage, lang.says(error.description))
        }
    }
}

/// `tally plan diff FILE`: what applying the file would change, in words.
struct PlanDiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Say what applying a plan file would change in the database (admin token).",
        discussion: "Example:\n  tally plan diff plan-2024.json")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var plan: PlanFileArgument

    func run() async throws {
        let (answer, lang) = try await PlanCommand.send(plan, dryRun: true, connection)
        PlanCommand.printChanges(answer.changes, kept: answer.kept, applied: false, lang)
    }
}

/// `tally plan apply FILE`: applies a plan file all or none; every change goes in the log.
struct PlanApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a plan file all or none, every change in the log (admin token).",
        discussion: """
        Figures reported since the file was exported refuse it (exit 2): export again and redo the edit.
        Example:
          tally plan apply plan-2024.json
        """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var plan: PlanFileArgument

    func run() async throws {
        let (answer, lang) = try await PlanCommand.send(plan, dryRun: false, connection)
        PlanCommand.printChanges(answer.changes, kept: answer.kept, applied: answer.applied, lang)
        if answer.applied {
            Console.out(lang.pick(zh: "已应用：变更日志 #\(answer.firstSequence)–#\(answer.lastSequence)",
                                               en: "applied: change log #\(answer.firstSequence)–#\(answer.lastSequence)"))
        }
    }
}

/// `tally plan export`: a campaign's plan as the database holds it, as a plan file.
struct PlanExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a campaign's plan as a plan file; applying it back changes nothing (admin token).",
        discussion: "Example:\n  tally plan export --campaign 2023 --output plan-2023.json")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var campaign: CampaignOption
    @Option(name: .long, help: "File to write (default: standard output).")
    var output: String?

    func run() async throws {
        let campaign = self.campaign.campaign
        let (answer, lang) = try await connection.call { try await $0.exportPlan(campaign: campaign) }
        guard let output else {
            Console.write(answer.document)
            return
        }
        do {
            try Data(answer.document.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw CLIError(.usage, lang.pick(zh: "无法写入 \(output)：\(error.localizedDescription)",
                                             en: "cannot write \(output): \(error.localizedDescription)"))
        }
        Console.out(lang.pick(zh: "已写入 \(output)（\(answer.campaign) 年度计划）", en: "wrote \(output) (the \(answer.campaign) plan)"))
    }
}
