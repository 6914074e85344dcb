import ArgumentParser
import TallyMessages
import TallyPresentation

/// `tally warnings`: the early warnings (预警) standing now.
struct WarningsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warnings",
        abstract: "Show the early warnings (预警) standing now: late reports, targets red twice running, stalled projects, overdue 调度 requests.",
        discussion: """
        Computed by the server from the plan, the change log and its clock; the thresholds are \
        server settings (tally serve --warn-*). Central or admin token. Exit 0 whether or not \
        there are warnings.

        Example:
          tally warnings
          tally warnings --department yinzhu
        """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "Only this department's warnings.")
    var department: String?

    @OptionGroup var campaign: CampaignOption

    func run() async throws {
        let (response, names, lang) = try await connection.callNaming {
            try await $0.warnings(campaign: campaign.campaign, department: department)
        }
        guard !response.warnings.isEmpty else {
            Console.out(lang.pick(zh: "当前没有预警。", en: "No warnings stand now."))
            return
        }
        Console.out(lang.pick(zh: "预警 \(response.warnings.count) 条（截至 \(OfficeFormat.dateTime(unixMs: response.asOfUnixMs))）：",
                              en: "\(response.warnings.count) warning(s) as of \(OfficeFormat.dateTime(unixMs: response.asOfUnixMs)):"))
        for warning in response.warnings { Console.out("  " + InsightText.line(warning, lang, names: names)) }
    }
}
