import ArgumentParser

/// `tally demo`: a short self-running scenario (see Demo/DemoScenario.swift).
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a short scenario: two departments report while the central office watches.",
        discussion: """
        Starts a server in-process on a free port over its own database (tally_demo in the embedded \
        PostgreSQL, recreated each run, or --database), creates credentials, lets 海洋高新区 and \
        隐珠街道 report a few weeks of progress concurrently over their own connections while a \
        watcher prints each change (dated by the 2023 period it counts for), then plays a round of \
        the central office's work (a 调度 request answered with a report, the report returned with \
        a comment, corrected and accepted), and ends with a summary. Takes about 5 seconds: the weeks are paced 0.4 s apart so they can be read.

        Example:
          tally demo --weeks 4 --lang en
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var db: DatabaseOptions

    @Option(name: .long, help: "Number of simulated weeks (1...12).")
    var weeks: Int = 4

    @Option(name: .long, help: "Date for the summary's elapsed time (default 2023-11-27).")
    var asOf: String?

    func validate() throws {
        if let asOf, AsOfDate.parse(asOf) == nil { throw ValidationError("--as-of must be a date such as 2023-11-27") }
        guard (1...12).contains(weeks) else { throw ValidationError("--weeks must be between 1 and 12") }
    }

    func run() async throws {
        let settings = try db.settings(global)
        try await DemoScenario(settings: settings, weeks: weeks, asOf: asOf.flatMap(AsOfDate.parse)).run()
    }
}
