import ArgumentParser
import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyWire
import TallyPresentation

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
        none. Each report's request id comes from the file's bytes and the period, so importing \
        the same file again changes nothing and says when it was imported; --again imports it a \
        second time on purpose. A report the central office returned (审核, see `tally inbox`) is \
        corrected by importing the corrected file with --resubmits REPORT-ID.

        Example (file 十一月.csv):
          类型,编号,数值,方式,备注
          指标,yinzhu/industry/high-tech-enterprises,3,增加,"第二批, 11月"
          项目,p-dongjiazhuang-village,在建,阶段,
          tally import 十一月.csv --period 2023-11
        """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The CSV file.")
    var file: String

    @Option(name: .long, help: "Reporting period, e.g. 2023-11 (default: the current one).")
    var period: String?

    @Option(name: .long, help: "Note for the whole report.")
    var note: String?

    @Option(name: .long, help: "Request id (default: derived from the file's bytes and the period, so a re-import replays).")
    var requestID: String?

    @Option(name: .long, help: "The id of a returned report (see `tally inbox`) that this file corrects, e.g. R12.")
    var resubmits: String?

    @Flag(name: .long, help: "Import a file that was imported before once more (a fresh request id): its rows count again.")
    var again = false

    @Flag(name: .long, help: "Only check the file; send nothing.")
    var dryRun = false

    func validate() throws {
        if again && requestID != nil { throw ValidationError("--again and --request-id exclude each other") }
        if let period, period.range(of: #"^\d{4}(-\d{2})?$"#, options: .regularExpression) == nil {
            throw ValidationError("--period must look like 2023 or 2023-11")
        }
    }

    func run() async throws {
        let settings = try connection.settings()
        let lang = settings.language
        let progress = ProgressReporter(enabled: true, lang: lang)
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CLIError(.usage, lang.pick(zh: "无法读取文件 \(file)", en: "cannot read \(file)"))
        }
        progress.step(lang.pick(zh: "读取 \(file)", en: "reading \(file)"))
        let records = try CSVRecords.read(data, lang: lang)
        let requestID = again ? InputValues.requestID(nil)
            : self.requestID ?? ImportRequestID.report(fileText: String(decoding: data, as: UTF8.self), period: period)
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
        request.resubmits = resubmits ?? ""
        let client = try connection.authenticatedClient(settings)
        progress.step(lang.pick(zh: "提交 \(outcome.updates.count) 项更新到 \(client.address)", en: "sending \(outcome.updates.count) update(s) to \(client.address)"))
        let response: Tally_V1_SubmitPeriodReportResponse
        let earlier: Tally_V1_Change?
        do {
            // The server recognises a repeated request id per credential; a colleague's credential
            // importing the same file is caught here, from the change log, before anything is sent.
            if !again, let found = try? await Self.earlierImport(requestID, updates: outcome.updates, client) {
                await client.close()
                Console.out(Self.alreadyImported(found.first, sequences: found.sequences, lang: lang))
                WriteReceipt.showRequestID(requestID, lang)
                return
            }
            response = try await client.submitPeriodReport(request)
            earlier = response.replayed ? (try? await Self.earlierImport(requestID, updates: outcome.updates, client))?.first : nil
        } catch {
            await client.close()
            throw Self.failure(error, file: file, lines: outcome.lines, requestID: requestID, lang: lang)
        }
        await client.close()
        let sequences = "#\(response.firstSequence)–#\(response.lastSequence)"
        if response.replayed {
            Console.out(Self.alreadyImported(earlier, sequences: sequences, lang: lang))
        } else {
            Console.out(lang.pick(zh: "已提交：\(summary)，序号 \(sequences)", en: "Submitted: \(summary), sequence \(sequences)"))
        }
        WriteReceipt.showRequestID(requestID, lang)
    }

    /// What the report with `requestID` wrote before, read from the history of its first and last
    /// updates' subjects: its first change (when, by whom) and the sequence range it took (a
    /// report's changes are consecutive). nil when this file was not imported before.
    private static func earlierImport(_ requestID: String, updates: [Tally_V1_Update], _ client: TallyClient) async throws
        -> (first: Tally_V1_Change, sequences: String)? {
        func subject(_ update: Tally_V1_Update?) -> String? {
            switch update?.kind {
            case .target(let target): target.targetID
            case .project(let project): project.projectID
            case nil: nil
            }
        }
        var changes: [Tally_V1_Change] = []
        for id in Set([subject(updates.first), subject(updates.last)].compactMap { $0 }) {
            changes += try await client.history(subjectID: id, limit: 1000).filter { $0.requestID == requestID }
        }
        guard let first = changes.min(by: { $0.sequence < $1.sequence }),
              let last = changes.max(by: { $0.sequence < $1.sequence }) else { return nil }
        return (first, first.sequence == last.sequence ? "#\(first.sequence)" : "#\(first.sequence)–#\(last.sequence)")
    }

    /// "already imported on 2023-11-27 14:05 by c-… (#4–#6); nothing changed".
    private static func alreadyImported(_ change: Tally_V1_Change?, sequences: String, lang: Language) -> String {
        let when = change.map { OfficeFormat.dateTime(unixMs: $0.committedUnixMs) }
        let who = change.map(\.credential) ?? ""
        return lang.pick(
            zh: "此文件已导入过\(when.map { "（\($0)，凭据 \(who)）" } ?? "")，序号 \(sequences)；本次未作改动。确需再次计入请加 --again。",
            en: "already imported\(when.map { " on \($0) by \(who)" } ?? "") (\(sequences)); nothing changed. Use --again to import it once more.")
    }

    /// The error of a refused report, said once: with the row's line when the server names an update,
    /// and with the --request-id retry hint only when a retry can help (the server was not reached).
    private static func failure(_ error: any Error, file: String, lines: [Int], requestID: String, lang: Language) -> CLIError {
        let mapped = CLIError.from(error, lang: lang)
        if mapped.status == .unreachable {
            return CLIError(mapped.status, mapped.message + lang.pick(
                zh: "（不确定是否已应用；可用 --request-id \(requestID) 安全重试）",
                en: " (it may or may not have been applied; retry safely with --request-id \(requestID))"))
        }
        let prefix = Self.failedUpdate(error).flatMap { $0 >= 1 && $0 <= lines.count ? lines[$0 - 1] : nil }
            .map { lang.pick(zh: "\(file) 第 \($0) 行：", en: "\(file):\($0): ") } ?? ""
        return CLIError(mapped.status, prefix + mapped.message + lang.pick(zh: "（未应用任何更新）", en: " (nothing was applied)"))
    }

    /// Which update (1-based) the server refused, from the status's `message-code` and
    /// `message-args` (so it does not depend on the message's language), else from its English text.
    private static func failedUpdate(_ error: any Error) -> Int? {
        guard let error = error as? RPCError else { return nil }
        if error.metadata["message-code"] == "report.update", let args = error.metadata["message-args"],
           let list = try? JSONSerialization.jsonObject(with: Data(args.utf8)) as? [String], let first = list.first {
            return Int(first)
        }
        return PeriodReportCSV.update(forServerMessage: error.message)
    }
}
