import ArgumentParser

/// `tally review accept`: accepts a submitted period report.
struct ReviewAcceptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Accept a submitted period report.",
        discussion: """
        Example:
          tally review accept R12
        """
    )

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The report's id, e.g. R12 (see `tally review list`).")
    var reportID: String

    @Option(name: .long, help: "Optional comment kept with the acceptance.")
    var comment: String = ""

    @OptionGroup var retry: RetryOptions

    func run() async throws {
        try await ReviewDecision.send(connection) { try await $0.acceptReport(reportID, comment: comment, requestID: retry.resolvedRequestID) }
    }
}
