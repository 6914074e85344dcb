import TallyClient
import TallyMessages

/// What `tally review accept` and `tally review return` share: send the decision on one report
/// with an authenticated client, then print the report as it now stands.
enum ReviewDecision {
    static func send(_ connection: ConnectionOptions,
                     _ decide: (TallyClient) async throws -> Tally_V1_PeriodReport) async throws {
        let (report, names, lang) = try await connection.callNaming(decide)
        Console.out(OfficeText.reports([report], lang: lang, names: names))
    }
}
