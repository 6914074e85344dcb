import ArgumentParser
import TallyPresentation

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

    @OptionGroup var global: GlobalOptions
    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The report's id, e.g. R12 (see `tally review list`).")
    var reportID: String

    @Option(name: .long, help: "Optional comment kept with the acceptance.")
    var comment: String = ""

    @Option(name: .long, help: "Request id for a safe retry (default: a new UUID).")
    var requestID: String?

    func run() async throws {
        let settings = try global.settings(server: connection.server, token: connection.token)
        let (id, comment, requestID) = (reportID, self.comment, InputValues.requestID(self.requestID))
        let report = try await connection.withAuthenticatedClient(settings) { try await $0.acceptReport(id, comment: comment, requestID: requestID) }
        Console.out(OfficeText.reports([report], lang: settings.language))
    }
}
