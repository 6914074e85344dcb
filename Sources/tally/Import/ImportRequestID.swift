import Foundation
import TallyCore

/// The request ids of an import, derived from what is imported rather than drawn at random, so
/// that importing the same file again (same bytes, same period) replays the first import instead
/// of counting it twice. `--again` asks for a fresh id: a deliberate second import.
enum ImportRequestID {
    /// The report's id (each row's id is this id and the row's line, see PeriodReportCSV):
    /// "csv-" and the SHA-256 of the period and the file's bytes (the same digest
    /// that hashes tokens), 68 characters, within the protocol's 128.
    static func report(fileText: String, period: String?) -> String {
        "csv-" + Token.hash("period=\(period ?? "")\n" + fileText)
    }

}
