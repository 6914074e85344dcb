import ArgumentParser

/// `tally review accept|return|list`: the central office's review (审核) of period reports.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review period reports: accept, or return with a comment (central or admin token).",
        discussion: """
        Every period report arrives as submitted (待审核) and its figures count at once. Accepting \
        or returning changes no figure; a returned report reaches its department (`tally inbox`), \
        which corrects it with a new report naming it (`tally import FILE --resubmits ID`).

        Example:
          tally review list --state submitted
          tally review accept R12
          tally review return R13 --comment "固定资产投资与统计局口径不符，请核实"
        """,
        subcommands: [ReviewListCommand.self, ReviewAcceptCommand.self, ReviewReturnCommand.self]
    )
}
