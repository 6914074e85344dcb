import ArgumentParser
import TallyMessages
import TallyPresentation

/// `tally rank`: the departments' ranking (红黑榜) for a month, with its rule.
struct RankCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rank",
        abstract: "Rank the departments (红黑榜) by pace against elapsed time, on-time reports and answers to 调度 requests.",
        discussion: """
        The rule is printed beside the table; equal departments share a rank. A finished month \
        is ranked as it stood at its end. Central or admin token.

        Example:
          tally rank
          tally rank --period 2023-10
        """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "A month of the campaign (\"2023-10\"); default: the current one.")
    var period: String?

    @OptionGroup var campaign: CampaignOption

    func run() async throws {
        let (ranking, names, lang) = try await connection.callNaming { try await $0.ranking(period: period, campaign: campaign.campaign) }
        Console.out(lang.pick(zh: "红黑榜 \(ranking.period)（时间进度 \(ranking.elapsedPercent)%）",
                              en: "Ranking \(ranking.period) (time elapsed \(ranking.elapsedPercent)%)"))
        Console.out(TextTable.render(header: InsightText.rankingHeader(lang),
                                     rows: ranking.rows.map { InsightText.rankingCells($0, lang, names: names) },
                                     rightAligned: [0, 2, 3]))
        DisplayWidth.wrap(InsightText.rankingRule(lang), to: 100).forEach { Console.out($0) }
    }
}
