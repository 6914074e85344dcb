import ArgumentParser
import TallyMessages
import TallyPresentation

/// `tally review list`: period reports with their review state.
struct ReviewListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List period reports with their review state (a department token: its own).",
        discussion: """
        Example:
          tally review list --state submitted
          tally review list --department yinzhu
        """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "Only this department's reports.")
    var department: String?

    @Option(name: .long, help: "Only reports in this state: submitted, accepted or returned.")
    var state: String?

    static let states: [String: Tally_V1_ReviewState] = ["submitted": .submitted, "accepted": .accepted, "returned": .returned]

    func validate() throws {
        if let state, Self.states[state] == nil { throw ValidationError("--state must be submitted, accepted or returned") }
    }

    func run() async throws {
        let (reports, names, lang) = try await connection.callNaming {
            try await $0.listReports(department: department, state: state.flatMap { Self.states[$0] } ?? .unspecified)
        }
        guard !reports.isEmpty else {
            Console.out(lang.pick(zh: "没有报表。", en: "No reports."))
            return
        }
        Console.out(OfficeText.reports(reports, lang: lang, names: names))
    }
}
