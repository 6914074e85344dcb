import ArgumentParser

/// `tally dispatch create|list|close`: the central office's 调度 requests.
struct DispatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract: "Issue, list and close 调度 requests to departments (central or admin token).",
        discussion: """
        A 调度 request asks departments for figures or an explanation by a due time (CST). Each \
        department sees it in `tally inbox` and answers with `tally answer`; a department that has \
        not answered when the due time passes is overdue.

        Example:
          tally dispatch create --title 报送固定资产投资进度 --to yinzhu --to marine-hitech \\
              --due "2023-06-15 18:00" --about yinzhu/industry/fixed-asset-investment
          tally dispatch list
          tally dispatch close D3
        """,
        subcommands: [DispatchCreateCommand.self, DispatchListCommand.self, DispatchCloseCommand.self]
    )
}
