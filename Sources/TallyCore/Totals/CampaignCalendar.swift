import Foundation

/// The campaign's clock: China Standard Time, a fixed UTC+8 with no daylight saving, whatever the
/// server's own time zone. A report at 23:30 on 31 January CST belongs to "2023-01".
public struct CampaignCalendar: Sendable, Hashable {
    /// Offset of China Standard Time from UTC, in seconds.
    public static let offsetSeconds = CivilDate.chinaOffsetSeconds

    /// Wall-clock fields of an instant in CST.
    public struct Parts: Sendable, Hashable {
        public var year: Int
        public var month: Int
        public var day: Int
        public var hour: Int
        public var minute: Int
        public var second: Int
    }

    public init() {}

    /// The CST wall-clock fields of an instant.
    public func parts(of date: Date) -> Parts {
        let local = CivilDate.milliseconds(of: date) / 1000 + Int64(Self.offsetSeconds)
        let (days, seconds) = CivilDate.floorDivide(local, 86_400)
        let civil = CivilDate.civil(fromDays: Int(days))
        let second = Int(seconds)
        return Parts(year: civil.year, month: civil.month, day: civil.day,
                     hour: second / 3600, minute: second / 60 % 60, second: second % 60)
    }

    /// The instant of a CST wall-clock time; nil when the date does not exist.
    public func date(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Date? {
        guard let days = CivilDate.daysSinceEpoch(year: year, month: month, day: day),
              (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second) else { return nil }
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - Self.offsetSeconds
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// The month period ("2023-01") an instant belongs to in CST.
    public func monthPeriod(of date: Date) -> String {
        let parts = parts(of: date)
        return Self.digits(parts.year, 4) + "-" + Self.digits(parts.month, 2)
    }

    /// `value` in decimal with leading zeros to `width` digits (String(format:) costs a Foundation
    /// format parse per call, and a change event asks for the month once per change).
    static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// The year period ("2023") an instant belongs to in CST.
    public func yearPeriod(of date: Date) -> String {
        Self.digits(parts(of: date).year, 4)
    }

    /// The period of a code "YYYY" or "YYYY-MM": bounds from the 1st 00:00 CST (inclusive) to the
    /// next period's start (exclusive); due at the end of the 5th of the following month (the 6th 00:00 CST).
    public func period(_ code: String) -> PeriodRecord? {
        let fields = code.split(separator: "-", omittingEmptySubsequences: false)
        guard let yearText = fields.first, yearText.count == 4, let year = Int(yearText) else { return nil }
        if fields.count == 1 {
            guard let start = date(year: year, month: 1, day: 1), let end = date(year: year + 1, month: 1, day: 1),
                  let due = date(year: year + 1, month: 1, day: 6) else { return nil }
            return PeriodRecord(code: code, kind: .year, startsAt: start, endsAt: end, dueAt: due)
        }
        guard fields.count == 2, fields[1].count == 2, let month = Int(fields[1]), (1...12).contains(month)
        else { return nil }
        let (nextYear, nextMonth) = month == 12 ? (year + 1, 1) : (year, month + 1)
        guard let start = date(year: year, month: month, day: 1), let end = date(year: nextYear, month: nextMonth, day: 1),
              let due = date(year: nextYear, month: nextMonth, day: 6) else { return nil }
        return PeriodRecord(code: code, kind: .month, startsAt: start, endsAt: end, dueAt: due)
    }

    /// The periods of a campaign year: the year itself, then its twelve months.
    public func periods(ofYear year: Int) -> [PeriodRecord] {
        let codes = [String(format: "%04d", year)] + (1...12).map { String(format: "%04d-%02d", year, $0) }
        return codes.compactMap(period)
    }

    /// Fraction of the period elapsed at the instant, exact, clamped to 0...1.
    public func elapsedFraction(of period: PeriodRecord, at date: Date) -> Decimal {
        elapsedFraction(from: period.startsAt, to: period.endsAt, at: date)
    }

    /// Fraction of [start, end) elapsed at the instant, exact to the millisecond, clamped to 0...1.
    public func elapsedFraction(from start: Date, to end: Date, at date: Date) -> Decimal {
        let begin = CivilDate.milliseconds(of: start)
        let total = CivilDate.milliseconds(of: end) - begin
        let elapsed = CivilDate.milliseconds(of: date) - begin
        guard total > 0, elapsed > 0 else { return 0 }
        guard elapsed < total else { return 1 }
        return Decimal(elapsed) / Decimal(total)
    }
}
