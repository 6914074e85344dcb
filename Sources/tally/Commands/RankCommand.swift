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

    @OptionGroup var global: GlobalOptions
    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "A month of the campaign (\"2023-10\"); default: the current one.")
    var period: String?

    @Option(name: .long, help: "The campaign's year (\"2023\"); default: the running one, else the latest finished.")
    var campaign: String?

    func run() async throws {
        let settings = try global.settings(server: connection.server, token: connection.token)
        let lang = settings.language
        let (period, campaign) = (self.period, self.campaign)
        let (ranking, plan) = try await connection.withAuthenticatedClient(settings) { client in
            (try await client.ranking(period: period, campaign: campaign), try await client.listPlan())
        }
        let names = Dictionary(plan.departments.map { ($0.code, $0.name) }, uniquingKeysWith: { $1 })
        Console.out(lang.pick(zh: "红黑榜 \(ranking.period)（时间进度 \(ranking.elapsedPercent)%）",
                              en: "Ranking \(ranking.period) (time elapsed \(ranking.elapsedPercent)%)"))
        Console.out(TextTable.render(header: InsightText.rankingHeader(lang),
                                     rows: ranking.rows.map { InsightText.rankingCells($0, lang, names: names) },
                                     rightAligned: [0, 2, 3]))
        DisplayWidth.wrap(InsightText.rankingRule(lang), to: 100).forEach { Console.out($0) }
    }
}
