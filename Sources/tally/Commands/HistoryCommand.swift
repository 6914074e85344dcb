import ArgumentParser
import TallyMessages
import TallyPresentation

/// `tally history`: the figures of one target or project over time, who changed them and when.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show how one target or project changed over time: who, when, from what to what, notes.",
        discussion: """
        Newest first. A department token sees its own targets and projects; a central token sees \
        all. --format csv writes the same rows as CSV (UTF-8 with a BOM) for a spreadsheet.

        Example:
          tally history yinzhu/industry/fixed-asset-investment
          tally history p-dongjiazhuang-village --format csv > 董家庄.csv
        """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "A target id or a project id (see `tally list`).")
    var subject: String

    @Option(name: .long, help: "text (a table) or csv.")
    var format: String = "text"

    @Option(name: .long, help: "At most this many changes, newest first (1...10000).")
    var limit: Int32 = 100

    func validate() throws {
        guard ["text", "csv"].contains(format) else { throw ValidationError("--format must be text or csv") }
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
    }

    func run() async throws {
        var request = Tally_V1_HistoryRequest()
        request.subjectID = subject
        request.limit = limit
        let (answer, names, lang) = try await connection.callNaming { try await $0.history(request) }
        let changes = answer.changes
        let who = answer.credentialNames
        if format == "csv" {
            Console.write(Self.csv(changes, credentialNames: who, lang: lang))
            return
        }
        guard !changes.isEmpty else {
            Console.out(lang.pick(zh: "\(subject) 还没有变更记录。", en: "\(subject) has no changes yet."))
            return
        }
        Console.out(TextTable.render(
            header: [lang.pick(zh: "序号", en: "Seq"), lang.pick(zh: "时间", en: "When"), lang.pick(zh: "期间", en: "Period"),
                     lang.pick(zh: "部门", en: "Department"),
                     lang.pick(zh: "凭据", en: "Credential"), lang.pick(zh: "变化", en: "Change"), lang.pick(zh: "备注", en: "Note")],
            rows: changes.map { c in
                ["#\(c.sequence)", OfficeFormat.dateTime(unixMs: c.committedUnixMs), c.period.isEmpty ? "-" : c.period,
                 names[c.department] ?? c.department, who[c.credential] ?? c.credential,
                 ChangeText.summary(c, lang: lang), c.note.replacingOccurrences(of: "\n", with: " ")]
            },
            rightAligned: [0]))
    }

    /// One row per change, newest first; the credential's name in the last column (added after
    /// the others, so a sheet that reads the earlier columns keeps working).
    static func csv(_ changes: [Tally_V1_Change], credentialNames: [String: String], lang: Language) -> String {
        let header = lang == .zh
            ? ["序号", "时间", "部门", "凭据", "字段", "原值", "新值", "备注", "请求编号", "期间", "凭据名称"]
            : ["sequence", "committed", "department", "credential", "field", "old_value", "new_value", "note", "request_id", "period",
               "credential_name"]
        var lines = [header.map(TabularExport.quote).joined(separator: ",")]
        for c in changes {
            lines.append(["\(c.sequence)", OfficeFormat.dateTime(unixMs: c.committedUnixMs), c.department, c.credential,
                          ChangeText.field(c.field, lang: lang), c.oldValue, c.newValue, c.note, c.requestID, c.period,
                          credentialNames[c.credential] ?? ""]
                .map(TabularExport.quote).joined(separator: ","))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }
}
