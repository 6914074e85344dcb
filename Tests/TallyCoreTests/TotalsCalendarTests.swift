import Foundation
import XCTest
@testable import TallyCore

/// Periods are China Standard Time whatever the process time zone.
final class TotalsCalendarTests: XCTestCase {
    let calendar = CampaignCalendar()

    private func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) throws -> Date {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = try XCTUnwrap(TimeZone(identifier: "UTC"))
        return try XCTUnwrap(gregorian.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)))
    }

    func testLateJanuaryEveningBelongsToJanuaryInAnyProcessZone() throws {
        let saved = ProcessInfo.processInfo.environment["TZ"]
        setenv("TZ", "America/Los_Angeles", 1)
        tzset()
        defer {
            if let saved { setenv("TZ", saved, 1) } else { unsetenv("TZ") }
            tzset()
        }
        // 2023-01-31 23:30 CST = 15:30 UTC = 07:30 in Los Angeles.
        let lateJanuary = try utc(2023, 1, 31, 15, 30)
        XCTAssertEqual(calendar.monthPeriod(of: lateJanuary), "2023-01")
        XCTAssertEqual(calendar.parts(of: lateJanuary).hour, 23)
        // Half an hour later it is February in China, still 31 January in UTC.
        let february = try utc(2023, 1, 31, 16, 0)
        XCTAssertEqual(calendar.monthPeriod(of: february), "2023-02")
        // New Year's Eve 2022 at 16:00 UTC is already 2023 in China.
        XCTAssertEqual(calendar.yearPeriod(of: try utc(2022, 12, 31, 16)), "2023")
        XCTAssertEqual(calendar.monthPeriod(of: try utc(2022, 12, 31, 15, 59)), "2022-12")
        XCTAssertEqual(calendar.date(year: 2023, month: 1, day: 31, hour: 23, minute: 30), lateJanuary)
    }

    func testPeriodBoundsAndDueDates() throws {
        let december = try XCTUnwrap(calendar.period("2023-12"))
        XCTAssertEqual(december.startsAt, try utc(2023, 11, 30, 16))
        XCTAssertEqual(december.endsAt, try utc(2023, 12, 31, 16))
        XCTAssertEqual(december.dueAt, try utc(2024, 1, 5, 16))
        let february = try XCTUnwrap(calendar.period("2023-02"))
        XCTAssertEqual(february.endsAt.timeIntervalSince(february.startsAt), 28 * 86_400)
        XCTAssertNil(calendar.period("2023-13"))
        XCTAssertNil(calendar.period("23"))
        XCTAssertNil(calendar.period("2023-1"))
    }

    func testElapsedFractionIsExactAndClamped() throws {
        let year = try XCTUnwrap(calendar.period("2023"))
        XCTAssertEqual(calendar.elapsedFraction(of: year, at: year.startsAt.addingTimeInterval(-1)), 0)
        XCTAssertEqual(calendar.elapsedFraction(of: year, at: year.startsAt), 0)
        XCTAssertEqual(calendar.elapsedFraction(of: year, at: year.endsAt), 1)
        XCTAssertEqual(calendar.elapsedFraction(of: year, at: year.endsAt.addingTimeInterval(86_400)), 1)
        // 2023-07-02 12:00 CST is 182.5 of 365 days: exactly one half.
        let midYear = try XCTUnwrap(calendar.date(year: 2023, month: 7, day: 2, hour: 12))
        XCTAssertEqual(calendar.elapsedFraction(of: year, at: midYear), Decimal(exact: "0.5"))
        let january = try XCTUnwrap(calendar.period("2023-01"))
        let tenth = try XCTUnwrap(calendar.date(year: 2023, month: 1, day: 4, hour: 2, minute: 24))
        // 3.1 of 31 days.
        XCTAssertEqual(calendar.elapsedFraction(of: january, at: tenth), Decimal(exact: "0.1"))
    }

    func testTimestampParsingAndFormatting() throws {
        let instant = try XCTUnwrap(Timestamp.parse("2023-11-27T10:00:00+08:00"))
        XCTAssertEqual(instant, try utc(2023, 11, 27, 2))
        XCTAssertEqual(Timestamp.parse("2023-11-27T02:00:00Z"), instant)
        XCTAssertEqual(Timestamp.parse("2023-11-27 02:00:00+00"), instant)
        XCTAssertEqual(Timestamp.parse("2023-11-26T21:00:00-05:00"), instant)
        let fractional = try XCTUnwrap(Timestamp.parse("2023-11-27T10:00:00.250+08:00"))
        XCTAssertEqual(fractional.timeIntervalSince(instant), 0.25, accuracy: 0.000_001)
        XCTAssertEqual(Timestamp.format(fractional), "2023-11-27T10:00:00.250+08:00")
        XCTAssertEqual(Timestamp.format(instant), "2023-11-27T10:00:00+08:00")
        for bad in ["", "2023-11-27", "2023-02-30T00:00:00Z", "2023-11-27T10:00:00", "2023-11-27T25:00:00Z", "x"] {
            XCTAssertNil(Timestamp.parse(bad), bad)
        }
    }

    /// Timestamps are written without String(format:), to the same text: before 1970, with and
    /// without milliseconds, across years 0 to 9999 and beyond.
    func testTimestampTextAsWithStringFormat() {
        var milliseconds: Int64 = -62_167_219_200_000  // 0000-01-01T00:00:00Z
        while milliseconds < 300_000_000_000_000 {
            let date = Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
            XCTAssertEqual(Timestamp.format(date), Timestamp.formattedWithStringFormat(date), "\(milliseconds)")
            milliseconds += 7_777_777_777  // about 90 days, a different time of day and millisecond each step
        }
        for milliseconds: Int64 in [0, 1, 999, 1_000, -1, -999, -86_400_000, 1_672_502_400_000, 1_672_502_400_007] {
            let date = Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
            XCTAssertEqual(Timestamp.format(date), Timestamp.formattedWithStringFormat(date), "\(milliseconds)")
        }
    }
}
