import ArgumentParser
import TallyPresentation

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

    @OptionGroup var global: GlobalOptions
    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The report's id, e.g. R13 (see `tally review list`).")
    var reportID: String

    @Option(name: .long, help: "What the department should correct (required).")
    var comment: String

    @Option(name: .long, help: "Request id for a safe retry (default: a new UUID).")
    var requestID: String?

    func run() async throws {
        let settings = try global.settings(server: connection.server, token: connection.token)
        let (id, comment, requestID) = (reportID, self.comment, InputValues.requestID(self.requestID))
        let report = try await connection.withAuthenticatedClient(settings) { try await $0.returnReport(id, comment: comment, requestID: requestID) }
        Console.out(OfficeText.reports([report], lang: settings.language))
    }
}
