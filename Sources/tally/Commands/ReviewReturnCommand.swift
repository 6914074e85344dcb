import ArgumentParser

/// `tally review return`: returns a submitted period report to its department with a comment.
struct ReviewReturnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "return",
        abstract: "Return a submitted period report to its department with a comment.",
        discussion: """
        Example:
          tally review return R13 --comment "固定资产投资与统计局口径不符，请核实"
        """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The report's id, e.g. R13 (see `tally review list`).")
    var reportID: String

    @Option(name: .long, help: "What the department should correct (required).")
    var comment: String

    @OptionGroup var retry: RetryOptions

    func run() async throws {
        try await ReviewDecision.send(connection) { try await $0.returnReport(reportID, comment: comment, requestID: retry.resolvedRequestID) }
    }
}
