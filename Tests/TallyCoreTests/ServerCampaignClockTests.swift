import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyServerTestSupport
import XCTest

/// The campaign clock: a report counts for the CST month in which the server accepts it, unless the
/// server's now is pinned (demos, tests); a view's date never moves it; a finished campaign shows its final state.
final class ServerCampaignClockTests: XCTestCase {
    static let fixedAssets = ServerReportingTests.fixedAssets

    func testAReportCountsForTheMonthTheServerAcceptsIt() async throws {
        let server = try await TallyTestServer.start()
        let before = Date()
        let sent = try await server.yinzhu.reportTarget(Requests.increment(Self.fixedAssets, by: "1"))
        let after = Date()
        let history = try await server.central.history(subjectID: Self.fixedAssets)
        let change = try XCTUnwrap(history.first)
        XCTAssertEqual(change.sequence, sent.sequence)
        let accepted = Date(timeIntervalSince1970: Double(change.committedUnixMs) / 1000)
        XCTAssertGreaterThanOrEqual(accepted.timeIntervalSince(before), -1)
        XCTAssertLessThanOrEqual(accepted.timeIntervalSince(after), 1)
        XCTAssertEqual(change.period, CampaignCalendar().monthPeriod(of: accepted))
        await server.stop()
    }

    func testAViewsDateDoesNotDecideTheMonthOfAReport() async throws {
        let server = try await TallyTestServer.start()
        let june = try XCTUnwrap(CampaignCalendar().date(year: 2023, month: 6, day: 30))
        _ = try await server.central.dashboard(asOf: june)
        _ = try await server.yinzhu.reportTarget(Requests.increment(Self.fixedAssets, by: "1"))
        let history = try await server.central.history(subjectID: Self.fixedAssets)
        let change = try XCTUnwrap(history.first)
        XCTAssertNotEqual(change.period, "2023-06")
        XCTAssertEqual(change.period, CampaignCalendar().monthPeriod(of: Date(timeIntervalSince1970: Double(change.committedUnixMs) / 1000)))
        await server.stop()
    }

    func testTheFinished2023CampaignShowsItsFinalState() async throws {
        let server = try await TallyTestServer.start()
        let sent = try await server.yinzhu.reportTarget(Requests.set(Self.fixedAssets, to: "10"))
        let dashboard = try await server.dashboard(server.central, atLeast: sent.sequence)
        XCTAssertTrue(dashboard.finished)
        XCTAssertEqual(dashboard.campaign, "2023")
        XCTAssertEqual(dashboard.period, "2023-12")
        XCTAssertEqual(dashboard.elapsedPercent, "100")
        let standings = Set(dashboard.departments.flatMap { $0.targets.map(\.standing) })
        XCTAssertTrue(standings.isSubset(of: [.met, .missed]), "final state has no pace: \(standings)")
        let running = try await server.central.dashboard(asOf: try XCTUnwrap(CampaignCalendar().date(year: 2023, month: 6, day: 30)))
        XCTAssertFalse(running.finished)
        XCTAssertEqual(running.period, "2023-06")
        await server.stop()
    }
}
