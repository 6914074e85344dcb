import Foundation

/// Instants of the office's records travel as Unix milliseconds (Schema/007's `tally_unix_ms`).
extension KeyedDecodingContainer {
    /// An instant given as Unix milliseconds; nil when the key is missing or null.
    func decodeMillisecondsIfPresent(_ key: Key) throws -> Date? {
        guard let milliseconds = try decodeIfPresent(Int64.self, forKey: key) else { return nil }
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// An instant given as Unix milliseconds.
    func decodeMilliseconds(_ key: Key) throws -> Date {
        guard let date = try decodeMillisecondsIfPresent(key) else {
            throw DecodingError.valueNotFound(Int64.self, .init(codingPath: codingPath + [key], debugDescription: "missing instant"))
        }
        return date
    }
}
