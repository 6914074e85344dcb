import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyServerTestSupport
import TallyWire
import XCTest

/// The campaign clock: a report counts for the CST month in which the server accepts it, unless the
/// server's now is pinned (demos, tests), or the campaign of what it reports has ended (then its last
/// month); a view's date never moves it; a finished campaign shows its final state.
final class ServerCampaignClockTests: XCTestCase {
    static let fixedAssets = ServerReportingTests.fixedAssets

    func testAReportCountsForTheMonthTheServerAcceptsIt() async throws {
        // Pinned to a day of the 2023 campaign: the month of that day.
        let server = try await TallyTestServer.start(clock: try XCTUnwrap(CampaignCalendar().date(year: 2023, month: 9, day: 14, hour: 10)))
        let sent = try await server.yinzhu.reportTarget(Requests.increment(Self.fixedAssets, by: "1"))
        let history = try await server.central.history(subjectID: Self.fixedAssets)
        let change = try XCTUnwrap(history.first)
        XCTAssertEqual(change.sequence, sent.sequence)
        XCTAssertEqual(change.period, "2023-09")
        await server.stop()
    }

    /// On the real clock, years after the 2023 campaign ended: a report made now counts for its last
    /// month, December (a late report, not refused), so the final state no longer lists the department
    /// as silent in December; a report made earlier (queued) and delivered only now is held to
    /// December's window, which has closed.
    func testAReportAfterItsCampaignEndedCountsForItsLastMonth() async throws {
        let server = try await TallyTestServer.start()
        let central = server.central
        let before = try await central.dashboard()
        XCTAssertTrue(before.finished)
        XCTAssertTrue(before.notReported.contains("yinzhu"), "\(before.notReported)")

        let sent = try await server.yinzhu.reportTarget(Requests.increment(Self.fixedAssets, by: "1"))
        var stamped = Requests.increment(Self.fixedAssets, by: "1")
        stamped.madeAtUnixMs = Int64(Date().timeIntervalSince1970 * 1000)   // as the CLI's outbox stamps every write
        let madeNow = try await server.yinzhu.reportTarget(stamped)
        let history = try await central.history(subjectID: Self.fixedAssets)
        XCTAssertEqual(history.filter { [sent.sequence, madeNow.sequence].contains($0.sequence) }.map(\.period), ["2023-12", "2023-12"])

        var queued = Requests.increment(Self.fixedAssets, by: "1")
        queued.madeAtUnixMs = Int64(try XCTUnwrap(CampaignCalendar().date(year: 2024, month: 1, day: 20)).timeIntervalSince1970 * 1000)
        do {
            _ = try await server.yinzhu.reportTarget(queued)
            XCTFail("a report made on 2024-01-20 and delivered now was accepted")
        } catch let error as RPCError {
            XCTAssertEqual(error.code, .failedPrecondition)
            XCTAssertTrue(error.message.contains("period 2023-12 is closed"), error.message)
        }

        let after = try await server.dashboard(central, atLeast: madeNow.sequence)
        XCTAssertFalse(after.notReported.contains("yinzhu"), "\(after.notReported)")
        XCTAssertTrue(after.notReported.contains("marine-hitech"), "\(after.notReported)")
        await server.stop()
    }

    func testAViewsDateDoesNotDecideTheMonthOfAReport() async throws {
        let server = try await TallyTestServer.start()
        let june = try XCTUnwrap(CampaignCalendar().date(year: 2023, month: 6, day: 30))
        _ = try await server.central.dashboard(asOf: june)
        _ = try await server.yinzhu.reportTarget(Requests.increment(Self.fixedAssets, by: "1"))
        let history = try await server.central.history(subjectID: Self.fixedAssets)
        let change = try XCTUnwrap(history.first)
        XCTAssertEqual(change.period, "2023-12", "the campaign's last month (it has ended), not the view's June")
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
