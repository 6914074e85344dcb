import Foundation

/// Conversions between `Date` and PostgreSQL's ISO text form of timestamptz
/// (`2024-03-01 08:30:00.123456+00`), with microsecond precision and proleptic Gregorian dates.
enum PostgresTimestamp {
    /// Formats a date in UTC, rounded to the microsecond.
    static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let seconds = floorDivide(micros, 1_000_000)
        let fraction = micros - seconds * 1_000_000
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilDays.civil(fromDays: Int(days))
        let era = year <= 0 ? " BC" : ""
        let displayYear = year <= 0 ? 1 - year : year
        return pad(displayYear, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + " "
            + pad(Int(secondOfDay / 3600), 2) + ":" + pad(Int(secondOfDay / 60 % 60), 2) + ":"
            + pad(Int(secondOfDay % 60), 2) + "." + pad(Int(fraction), 6) + "+00" + era
    }

    /// Parses `YYYY-MM-DD[( |T)HH:MM:SS[.ffffff][(+|-)HH[:MM[:SS]]]][ BC]`, `infinity`, `-infinity`.
    /// A value without offset (timestamp, date) is taken as UTC.
    static func parse(_ text: String) -> Date? {
        if text == "infinity" { return .distantFuture }
        if text == "-infinity" { return .distantPast }
        var bytes = Array(text.utf8)
        var beforeChrist = false
        if bytes.count > 3, bytes.suffix(3).elementsEqual(" BC".utf8) {
            beforeChrist = true
            bytes.removeLast(3)
        }
        var index = 0
        func digits(min: Int, max: Int) -> Int? {
            var value = 0
            var count = 0
            while index < bytes.count, count < max, bytes[index] >= 48, bytes[index] <= 57 {
                value = value * 10 + Int(bytes[index] - 48)
                index += 1
                count += 1
            }
            return count >= min ? value : nil
        }
        func expect(_ character: Character) -> Bool {
            guard index < bytes.count, let ascii = character.asciiValue, bytes[index] == ascii else { return false }
            index += 1
            return true
        }
        guard var year = digits(min: 4, max: 9), expect("-"), let month = digits(min: 2, max: 2), expect("-"),
            let day = digits(min: 2, max: 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        if beforeChrist { year = 1 - year }
        var secondOfDay = 0
        var micros = 0
        var offset = 0
        if index < bytes.count {
            guard expect(" ") || expect("T"), let hour = digits(min: 2, max: 2), expect(":"),
                let minute = digits(min: 2, max: 2), expect(":"), let second = digits(min: 2, max: 2),
                hour <= 24, minute < 60, second <= 60
            else { return nil }
            secondOfDay = hour * 3600 + minute * 60 + second
            if expect(".") {
                let start = index
                guard let fraction = digits(min: 1, max: 6) else { return nil }
                micros = fraction
                for _ in 0..<(6 - (index - start)) { micros *= 10 }
                _ = digits(min: 0, max: 30)  // PostgreSQL never sends more than 6 digits; ignore extra
            }
            if index < bytes.count {
                let sign: Int
                if expect("+") { sign = 1 } else if expect("-") { sign = -1 } else { return nil }
                guard let hours = digits(min: 2, max: 2) else { return nil }
                var total = hours * 3600
                if expect(":") {
                    guard let minutes = digits(min: 2, max: 2) else { return nil }
                    total += minutes * 60
                    if expect(":") {
                        guard let seconds = digits(min: 2, max: 2) else { return nil }
                        total += seconds
                    }
                }
                offset = sign * total
            }
        }
        guard index == bytes.count else { return nil }
        let seconds = Int64(CivilDays.days(fromCivil: year, month, day)) * 86_400 + Int64(secondOfDay - offset)
        let totalMicros = seconds * 1_000_000 + Int64(micros)
        return Date(timeIntervalSince1970: Double(totalMicros) / 1_000_000)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
