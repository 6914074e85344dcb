import Foundation
import TallyStore

/// ISO 8601 timestamps as they appear in the plan JSON and in PostgreSQL's jsonb
/// ("2023-01-01T00:00:00+08:00", "2023-11-27T10:00:00.123456+00:00", "...Z").
///
/// A small parser of its own: Sendable, independent of the process time zone and of formatter quirks.
public enum Timestamp {
    /// Parses `YYYY-MM-DD[T ]HH:MM[:SS[.fraction]](Z|±HH[:MM]|±HHMM)`; nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + width)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte) - 48
            }
            index += width
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              expect("T "), let hour = number(2), expect(":"), let minute = number(2) else { return nil }
        var second = 0
        var nanoseconds = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            index += 1
            guard let value = number(2) else { return nil }
            second = value
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                var digits = 0
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    if digits < 9 { nanoseconds = nanoseconds * 10 + Int(bytes[index]) - 48 }
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { return nil }
                for _ in digits..<9 { nanoseconds *= 10 }
            }
        }
        var offset = 0
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "Z") {
            index += 1
        } else {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            guard expect("+-"), let offsetHours = number(2) else { return nil }
            var offsetMinutes = 0
            if index < bytes.count {
                if bytes[index] == UInt8(ascii: ":") { index += 1 }
                guard let value = number(2) else { return nil }
                offsetMinutes = value
            }
            offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }
        guard index == bytes.count, (1...12).contains(month), (1...31).contains(day), hour < 24,
              minute < 60, second < 61, let days = CivilDate.daysSinceEpoch(year: year, month: month, day: day)
        else { return nil }
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds) + TimeInterval(nanoseconds) / 1e9)
    }

    /// The instant as ISO 8601 text in China Standard Time, with milliseconds when it has any
    /// ("2023-01-01T00:00:00+08:00").
    public static func format(_ date: Date) -> String {
        let (civil, seconds, milliseconds) = parts(of: date)
        guard civil.year >= 0 else { return formattedWithStringFormat(date) }
        var text = zeroPadded(civil.year, 4) + "-" + zeroPadded(civil.month, 2) + "-" + zeroPadded(civil.day, 2)
            + "T" + zeroPadded(seconds / 3600, 2) + ":" + zeroPadded(seconds / 60 % 60, 2) + ":" + zeroPadded(seconds % 60, 2)
        if milliseconds != 0 { text += "." + zeroPadded(milliseconds, 3) }
        return text + "+08:00"
    }

    /// ``format(_:)`` through `String(format:)` (years before 0; and what tests compare with).
    static func formattedWithStringFormat(_ date: Date) -> String {
        let (civil, seconds, milliseconds) = parts(of: date)
        var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", civil.year, civil.month, civil.day,
                          seconds / 3600, seconds / 60 % 60, seconds % 60)
        if milliseconds != 0 { text += String(format: ".%03d", milliseconds) }
        return text + "+08:00"
    }

    /// The China-time civil date of `date`, the seconds into that day and the milliseconds beyond them.
    private static func parts(of date: Date) -> (civil: (year: Int, month: Int, day: Int), seconds: Int, milliseconds: Int) {
        let totalMilliseconds = CivilDate.milliseconds(of: date) + Int64(CivilDate.chinaOffsetSeconds) * 1000
        let (days, dayMilliseconds) = CivilDate.floorDivide(totalMilliseconds, 86_400_000)
        return (CivilDate.civil(fromDays: Int(days)), Int(dayMilliseconds / 1000), Int(dayMilliseconds % 1000))
    }

    /// `value` (not negative) in at least `width` digits, zeros in front: `%0<width>d` without
    /// `String(format:)`, which goes through CoreFoundation and costs more than the rest of a format.
    private static func zeroPadded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count < width ? String(repeating: "0", count: width - digits.count) + digits : digits
    }
}

/// The domain's day arithmetic: checked dates, Unix milliseconds and the CST offset, over the
/// store's ``CivilDays`` algorithms.
enum CivilDate {
    /// China Standard Time: a fixed UTC+8 with no daylight saving.
    static let chinaOffsetSeconds = 8 * 3600

    /// Days from 1970-01-01 to the given date; nil when the day does not exist in that month.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int? {
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        return CivilDays.days(fromCivil: year, month, day)
    }

    /// The civil date of a day count since 1970-01-01.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        CivilDays.civil(fromDays: days)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Whole milliseconds since 1970, rounded down.
    static func milliseconds(of date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }
}
