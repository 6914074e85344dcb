import ArgumentParser
import TallyClient
import TallyMessages
import TallyPresentation

/// `tally admin department|target|batch|project`: changes the plan through the Admin service.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Create or replace a department, target, batch or project of the plan (central or admin token).",
        discussion: """
        Each subcommand sends one record, which the server creates or replaces whole (fields not \
        given take their defaults), logs, and shows to every watcher. --expect-version N refuses \
        the change if the record moved on since you read it.

        Example:
          tally admin department jiaonan-port --name 港区 --kind functional_zone
          tally admin target yinzhu/industry/new-factories --department yinzhu \\
              --line yinzhu/industry --name 新建厂房 --unit 个 --figure 4
        """,
        subcommands: [Department.self, Target.self, Batch.self, Project.self]
    )

    /// Sends one upsert with the command's settings and prints what the server stored.
    static func send<Record: Sendable>(_ connection: ConnectionOptions,
                                       _ call: @escaping @Sendable (TallyClient) async throws -> Record,
                                       describe: (Record, Language) -> String) async throws {
        let (record, lang) = try await connection.call(call)
        Console.out(describe(record, lang))
    }

    /// Reads a decimal flag; a usage error names the flag.
    static func decimal(_ text: String?, _ flag: String) throws -> String {
        try InputValues.checkedDecimal(text, flag: flag) ?? ""
    }
}

extension AdminCommand {
    /// `tally admin department`.
    struct Department: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or replace a department.",
            discussion: "Example:\n  tally admin department jiaonan-port --name 港区 --kind functional_zone")

        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The department's code: lower-case letters, digits and '-'.") var code: String
        @Option(name: .long, help: "Its name, e.g. 隐珠街道.") var name: String
        @Option(name: .long, help: "functional_zone, subdistrict or central.") var kind: String = "subdistrict"

        func run() async throws {
            var record = Tally_V1_Department()
            record.code = code
            record.name = name
            record.kind = kind.replacingOccurrences(of: "-", with: "_")
            try await AdminCommand.send(connection, { [record] in try await $0.upsertDepartment(record) }) { d, lang in
                lang.pick(zh: "已保存部门 \(d.code)「\(d.name)」", en: "Saved department \(d.code) (\(d.name))")
            }
        }
    }

    /// `tally admin target`.
    struct Target: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or replace a target (its reported figure is kept).",
            discussion: """
            Example:
              tally admin target yinzhu/industry/new-factories --department yinzhu \\
                  --line yinzhu/industry --name 新建厂房 --unit 个 --figure 4
            """)

        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The target's id, e.g. yinzhu/industry/new-factories.") var id: String
        @Option(name: .long, help: "Department code.") var department: String
        @Option(name: .long, help: "Line code, e.g. yinzhu/industry.") var line: String
        @Option(name: .long, help: "Its name.") var name: String
        @Option(name: .long, help: "Unit: 个, 亿元, 家, 亩, or 项 for a task done or not.") var unit: String
        @Option(name: .long, help: "The year's target figure (decimal).") var figure: String
        @Option(name: .long, help: "at-least (default) or at-most (a ceiling, e.g. energy use).") var direction: String = "at-least"
        @Option(name: .long, help: "Note.") var note: String?
        @Option(name: .long, help: "Fail unless the target is at this version.") var expectVersion: Int64?

        func validate() throws {
            guard ["at-least", "at_least", "at-most", "at_most"].contains(direction) else {
                throw ValidationError("--direction must be at-least or at-most")
            }
        }

        func run() async throws {
            var record = Tally_V1_Target()
            record.id = id
            record.department = department
            record.line = line
            record.name = name
            record.unit = unit
            record.targetFigure = try AdminCommand.decimal(figure, "--figure")
            record.direction = direction.hasSuffix("most") ? .atMost : .atLeast
            record.note = note ?? ""
            record.version = expectVersion ?? 0
            try await AdminCommand.send(connection, { [record] in try await $0.upsertTarget(record) }) { t, lang in
                lang.pick(zh: "已保存指标 \(t.id)「\(t.name)」：目标 \(t.targetFigure) \(t.unit)，版本 \(t.version)",
                          en: "Saved target \(t.id) (\(t.name)): target \(t.targetFigure) \(t.unit), version \(t.version)")
            }
        }
    }

    /// `tally admin batch`.
    struct Batch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or replace a project batch.",
            discussion: """
            Example:
              tally admin batch yinzhu/industry/b-2023-q4 --department yinzhu \\
                  --line yinzhu/industry --name 四季度新签约项目 --planned-count 5 \\
                  --planned-investment 20 --milestone signed
            """)

        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The batch's id.") var id: String
        @Option(name: .long, help: "Department code.") var department: String
        @Option(name: .long, help: "Line code.") var line: String
        @Option(name: .long, help: "Its name.") var name: String
        @Option(name: .long, help: "Projects the plan expects in it.") var plannedCount: Int32 = 0
        @Option(name: .long, help: "Planned investment in 亿元 (decimal).") var plannedInvestment: String?
        @Option(name: .long, help: "近, 超 or 不低于 before the planned investment.") var qualifier: String?
        @Option(name: .long, help: "The stage its projects should reach this year.") var milestone: String = "under-construction"
        @Option(name: .long, help: "The campaign's year it belongs to, e.g. 2024 (required for a new batch; default: keep an existing batch's).") var campaign: String?

        func validate() throws {
            if InputValues.stage(milestone) == nil { throw ValidationError("unknown stage `\(milestone)`") }
        }

        func run() async throws {
            var record = Tally_V1_Batch()
            record.id = id
            record.department = department
            record.line = line
            record.name = name
            record.plannedCount = plannedCount
            record.plannedInvestment = try AdminCommand.decimal(plannedInvestment, "--planned-investment")
            record.investmentQualifier = qualifier ?? ""
            record.milestone = InputValues.stage(milestone) ?? .underConstruction
            record.campaign = campaign ?? ""
            try await AdminCommand.send(connection, { [record] in try await $0.upsertBatch(record) }) { b, lang in
                lang.pick(zh: "已保存批次 \(b.id)「\(b.name)」", en: "Saved batch \(b.id) (\(b.name))")
            }
        }
    }

    /// `tally admin project`.
    struct Project: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or replace a project of the plan (its reported progress is kept).",
            discussion: """
            A project in a batch is in its batch's campaign; a new one outside any batch \
            names it with --campaign. --share gives a co-reporting department its own \
            share of the investment to report (part of the lead's figure, never added to it).

            Example:
              tally admin project p-port-logistics --name 港口物流园 --lead marine-hitech \\
                  --line marine-hitech/hq --co-department yinzhu --share yinzhu \\
                  --planned-investment 12 --campaign 2024
            """)

        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The project's id.") var id: String
        @Option(name: .long, help: "Its name.") var name: String
        @Option(name: .long, help: "The department that leads it.") var lead: String
        @Option(name: .long, help: "Line code.") var line: String
        @Option(name: .long, help: "Batch id, if it belongs to one.") var batch: String?
        @Option(name: .customLong("co-department"), help: "A department that reports on it too (repeatable).") var coDepartments: [String] = []
        @Option(name: .long, help: "Planned investment in 亿元 (decimal).") var plannedInvestment: String?
        @Option(name: .long, help: "A co-reporting department that reports its own share of the investment (repeatable).") var share: [String] = []
        @Option(name: .long, help: "The campaign's year it belongs to, e.g. 2024 (default: its batch's, else keep an existing project's).") var campaign: String?
        @Option(name: .long, help: "Fail unless the project is at this version.") var expectVersion: Int64?

        func run() async throws {
            var record = Tally_V1_Project()
            record.id = id
            record.name = name
            record.leadDepartment = lead
            record.line = line
            record.batch = batch ?? ""
            record.coDepartments = coDepartments
            record.plannedInvestment = try AdminCommand.decimal(plannedInvestment, "--planned-investment")
            record.version = expectVersion ?? 0
            record.campaign = campaign ?? ""
            record.shares = share.map { department in
                var entry = Tally_V1_InvestmentShare()
                entry.department = department
                return entry
            }
            try await AdminCommand.send(connection, { [record] in try await $0.upsertProject(record) }) { p, lang in
                lang.pick(zh: "已保存项目 \(p.id)「\(p.name)」，版本 \(p.version)", en: "Saved project \(p.id) (\(p.name)), version \(p.version)")
            }
        }
    }
}
