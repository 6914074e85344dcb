import ArgumentParser
import Foundation
import TallyMessages
import TallyWire

/// `tally import FILE.csv`: a period report from a spreadsheet export, applied all or none.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Send a period report from a CSV spreadsheet export (all rows or none).",
        discussion: """
        The file is UTF-8 CSV with a header row (a BOM is fine; quoted fields may hold commas and \
        line breaks). Columns, Chinese or English names, any order:
          类型/type    指标/target or 项目/project
          编号/id      the target or project id (see `tally list`)
          数值/value   a number, or a stage name for a stage row
          方式/mode    targets: 设为/set (default) or 增加/add; projects: 阶段/stage, 投资/investment (亿元), 进度/percent
          单位/unit    optional, checked against the target's unit
          备注/note    optional
        Every row is checked first; if any row is bad, each bad row is listed with its line \
        number and nothing is sent. Otherwise one report is sent, which the server applies all or \
        none. A retry with the same --request-id is safe.

        Example (file 十一月.csv):
          类型,编号,数值,方式,备注
          指标,yinzhu/industry/high-tech-enterprises,3,增加,"第二批, 11月"
          项目,p-dongjiazhuang-village,在建,阶段,
          tally import 十一月.csv --period 2023-11
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The CSV file.")
    var file: String

    @Option(name: .long, help: "Reporting period, e.g. 2023-11 (default: the current one).")
    var period: String?

    @Option(name: .long, help: "Note for the whole report.")
    var note: String?

    @Option(name: .long, help: "Request id for a safe retry (default: a new UUID).")
    var requestID: String?

    @Flag(name: .long, help: "Only check the file; send nothing.")
    var dryRun = false

    func validate() throws {
        if let period, period.range(of: #"^\d{4}(-\d{2})?$"#, options: .regularExpression) == nil {
            throw ValidationError("--period must look like 2023 or 2023-11")
        }
    }

    func run() async throws {
        let settings = try global.settings(server: connection.server, token: connection.token)
        let lang = settings.language
        let progress = ProgressReporter(enabled: true)
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CLIError(.usage, lang.pick(zh: "无法读取文件 \(file)", en: "cannot read \(file)"))
        }
        progress.step(lang.pick(zh: "读取 \(file)", en: "reading \(file)"))
        let records = try CSVRecords.read(data, lang: lang)
        let requestID = InputValues.requestID(self.requestID)
        progress.step(lang.pick(zh: "校验 \(max(0, records.count - 1)) 行", en: "checking \(max(0, records.count - 1)) rows"))
        let outcome = PeriodReportCSV.parse(records, requestID: requestID, lang: lang)
        guard outcome.problems.isEmpty else {
            for problem in outcome.problems {
                Console.err(lang.pick(zh: "\(file) 第 \(problem.line) 行：\(problem.message)", en: "\(file):\(problem.line): \(problem.message)"))
            }
            let lines = Set(outcome.problems.map(\.line)).count
            throw CLIError(.usage, lang.pick(zh: "\(lines) 行有错误，未提交任何数据。", en: "\(lines) bad row(s); nothing was sent."))
        }
        let summary = lang.pick(zh: "指标 \(outcome.targetCount) 项、项目 \(outcome.projectCount) 个", en: "\(outcome.targetCount) target(s), \(outcome.projectCount) project(s)")
        if dryRun {
            Console.out(lang.pick(zh: "检查通过：\(summary)（--dry-run，未提交）", en: "OK: \(summary) (--dry-run, nothing sent)"))
            return
        }
        var request = Tally_V1_SubmitPeriodReportRequest()
        request.requestID = requestID
        request.period = period ?? ""
        request.updates = outcome.updates
        request.note = note ?? ""
        let client = try connection.authenticatedClient(settings)
        progress.step(lang.pick(zh: "提交 \(outcome.updates.count) 项更新到 \(client.address)", en: "sending \(outcome.updates.count) update(s) to \(client.address)"))
        let response: Tally_V1_SubmitPeriodReportResponse
        do {
            response = try await client.submitPeriodReport(request)
        } catch {
            await client.close()
            let mapped = CLIError.from(error, lang: lang)
            let rpcMessage = (error as? RPCError)?.message ?? ""
            if let line = PeriodReportCSV.line(forServerMessage: rpcMessage, lines: outcome.lines) {
                Console.err(lang.pick(zh: "\(file) 第 \(line) 行：\(rpcMessage)", en: "\(file):\(line): \(rpcMessage)"))
            }
            throw CLIError(mapped.status, mapped.message + lang.pick(zh: "（未应用任何更新；可用 --request-id \(requestID) 安全重试）",
                                                                    en: " (nothing was applied; retry safely with --request-id \(requestID))"))
        }
        await client.close()
        let replay = response.replayed ? lang.pick(zh: "（重复请求，返回首次结果）", en: " (repeated request: first result)") : ""
        Console.out(lang.pick(
            zh: "已提交：\(summary)，序号 #\(response.firstSequence)–#\(response.lastSequence)\(replay)",
            en: "Submitted: \(summary), sequence #\(response.firstSequence)–#\(response.lastSequence)\(replay)"))
        Console.out(lang.pick(zh: "请求编号：\(requestID)", en: "request id: \(requestID)"))
    }
}
