import Foundation
import TallyWire
import XCTest

@testable import TallyCore

/// The window in which a report made earlier (queued offline) is accepted, at its edges.
final class MadeAtWindowTests: XCTestCase {
    private let window = MadeAtWindow(clockSkew: 300, grace: 7 * 86_400)
    private let calendar = CampaignCalendar()

    private func cst(_ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) throws -> Date {
        try XCTUnwrap(calendar.date(year: 2023, month: month, day: day, hour: hour, minute: minute))
    }

    private func ms(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    func testNoMadeAtMeansMadeNow() throws {
        XCTAssertNil(try window.stamp(0, now: try cst(2, 1)))
    }

    func testCountsForTheCSTMonthItWasMadeIn() throws {
        let stamp = try XCTUnwrap(window.stamp(ms(try cst(1, 31, 23, 30)), now: try cst(2, 1, 10)))
        XCTAssertEqual(stamp.period, "2023-01")
        XCTAssertEqual(stamp.madeAt, try cst(1, 31, 23, 30))
        let named = try XCTUnwrap(window.stamp(ms(try cst(2, 1, 9)), period: "2023-01", now: try cst(2, 1, 10)))
        XCTAssertEqual(named.period, "2023-01", "a period report's own period wins")
    }

    func testFutureBeyondTheSkewIsRefused() throws {
        let now = try cst(2, 1, 10)
        XCTAssertNotNil(try window.stamp(ms(now.addingTimeInterval(300)), now: now))
        XCTAssertThrowsError(try window.stamp(ms(now.addingTimeInterval(300.001)), now: now)) { error in
            XCTAssertEqual((error as? RPCError)?.code, .invalidArgument)
        }
        XCTAssertThrowsError(try window.stamp(-1, now: now)) { error in
            XCTAssertEqual((error as? RPCError)?.code, .invalidArgument)
        }
    }

    func testPeriodClosesAtItsDueDayPlusGrace() throws {
        // January is due by the end of 5 February (6 February 00:00 CST); with 7 days' grace it
        // closes on 13 February 00:00 CST.
        let made = ms(try cst(1, 20))
        let closes = try cst(2, 13)
        XCTAssertNotNil(try window.stamp(made, now: closes.addingTimeInterval(-0.001)))
        XCTAssertThrowsError(try window.stamp(made, now: closes)) { error in
            XCTAssertEqual((error as? RPCError)?.code, .failedPrecondition)
            XCTAssertTrue((error as? RPCError)?.message.contains("period 2023-01 is closed") ?? false)
        }
    }

    func testRefusalsAreSaidInTheCallersLanguage() throws {
        let now = try cst(2, 20)
        var messages: [String] = []
        for (madeAt, period) in [(ms(try cst(1, 20)), nil), (ms(now.addingTimeInterval(3600)), nil), (Int64(-5), nil)] as [(Int64, String?)] {
            XCTAssertThrowsError(try window.stamp(madeAt, period: period, now: now)) { error in
                messages.append((error as? RPCError)?.message ?? "")
            }
        }
        XCTAssertEqual(messages.count, 3)
        for message in messages {
            XCTAssertNotNil(MessageRendering.recognize(message), "the catalog knows `\(message)`")
            XCTAssertEqual(MessageRendering.render(message, in: .en), message)
            let zh = MessageRendering.render(message, in: .zh)
            for word in ["closed", "future", "negative", "report"] {
                XCTAssertFalse(zh.contains(word), "`\(zh)` still says `\(word)`")
            }
        }
        XCTAssertTrue(MessageRendering.render(messages[0], in: .zh).hasPrefix("2023-01 期已关闭"))
    }
}
