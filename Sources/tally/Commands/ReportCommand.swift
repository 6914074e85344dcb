import ArgumentParser

/// `tally report target|project`: a department reports one change.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report progress on one target or project (department token).",
        discussion: """
        Example:
          tally report target yinzhu/industry/fixed-asset-investment \\
              --add 2.5 --unit 亿元 --note 第47周
          tally report project p-shandong-energy-finance-trade \\
              --stage under-construction --investment 12
        """,
        subcommands: [ReportTargetCommand.self, ReportProjectCommand.self]
    )
}
