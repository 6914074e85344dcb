import ArgumentParser
import Foundation

/// Flags that choose which dashboard to read: a past day's figures, replayed from the change log,
/// and the campaign (year). Shared by `dashboard` and `export`.
struct DashboardViewOptions: ParsableArguments {
    @Option(name: .long, help: "Show the figures as they stood at the end of this day (UTC+8), replayed from the change log: 2023-11-27 or 2023年11月27日.")
    var asOf: String?

    @Option(name: .long, help: "The campaign's year, e.g. 2024 (default: the one running, else the latest finished).")
    var campaign: String?

    func validate() throws {
        if let asOf, AsOfDate.parse(asOf) == nil { throw ValidationError("--as-of must be a date such as 2023-11-27") }
    }

    /// The end of the `--as-of` day; nil for now.
    var date: Date? { asOf.flatMap(AsOfDate.parse) }

    /// Whether this is the watched campaign now, which the live watch stream itself carries.
    var isLiveDefault: Bool { asOf == nil }
}
