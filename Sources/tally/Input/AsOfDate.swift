import Foundation
import TallyCore

/// Reads `--as-of`: 2023-11-27 or 2023年11月27日 (the last millisecond of that day, China Standard Time), or an
/// ISO 8601 instant such as 2023-11-27T15:00:00+08:00.
enum AsOfDate {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let instant = ISO8601DateFormatter().date(from: trimmed) { return instant }
        let pattern = #"^(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?$"#
        guard let match = trimmed.range(of: pattern, options: .regularExpression), match == trimmed.startIndex..<trimmed.endIndex else { return nil }
        let numbers = trimmed.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: CampaignCalendar.offsetSeconds) ?? .gmt
        let components = DateComponents(year: numbers[0], month: numbers[1], day: numbers[2])
        guard let start = calendar.date(from: components),
              calendar.component(.day, from: start) == numbers[2] else { return nil }
        return calendar.date(byAdding: .day, value: 1, to: start)?.addingTimeInterval(-0.001)
    }
}
