import Foundation
import TallyCore

/// Reads `--due`: "2023-06-15 18:00" (China Standard Time), a date alone (the end of that day, CST,
/// as `--as-of` reads it), or an ISO 8601 instant such as 2023-06-15T18:00:00+08:00.
enum DueTime {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let pattern = #"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})$"#
        guard trimmed.range(of: pattern, options: .regularExpression) != nil else { return AsOfDate.parse(trimmed) }
        let numbers = trimmed.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count == 5, (0...23).contains(numbers[3]), (0...59).contains(numbers[4]) else { return nil }
        let calendar = CampaignCalendar()
        guard let date = calendar.date(year: numbers[0], month: numbers[1], day: numbers[2], hour: numbers[3], minute: numbers[4]),
              calendar.parts(of: date).day == numbers[2] else { return nil }
        return date
    }
}
