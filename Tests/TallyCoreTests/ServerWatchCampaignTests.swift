import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyServerTestSupport
import TallyWire
import XCTest

/// Oversight/Watch of a named campaign: its snapshot, its changes with its totals, every other
/// change without totals (no gap in the sequence), and NOT_FOUND for a campaign that does not exist.
final class ServerWatchCampaignTests: XCTestCase {
    /// The next event of a stream, failing when the stream ends.
    private static func next(_ events: inout AsyncThrowingStream<Tally_V1_WatchEvent, Error>.AsyncIterator,
                             file: StaticString = #filePath, line: UInt = #line) async throws -> Tally_V1_WatchEvent {
        guard let event = try await events.next() else {
            XCTFail("the watch ended", file: file, line: line)
            throw RPCError(.internalError, "the watch ended")
        }
        return event
    }

    /// The next change of a stream, past warnings starting or ending (a report moves those too: one
    /// into a finished campaign's last month ends its department's missing-report warning).
    private static func nextChange(_ events: inout AsyncThrowingStream<Tally_V1_WatchEvent, Error>.AsyncIterator,
                                   file: StaticString = #filePath, line: UInt = #line) async throws -> Tally_V1_ChangeEvent {
        while true {
            let event = try await next(&events, file: file, line: line)
            if case .warning = event.event { continue }
            return try change(event, file: file, line: line)
        }
    }

    /// The change of an event, failing for any other kind.
    private static func change(_ event: Tally_V1_WatchEvent, file: StaticString = #filePath, line: UInt = #line) throws -> Tally_V1_ChangeEvent {
        guard case .change(let change) = event.event else {
            XCTFail("expected a change, got \(event)", file: file, line: line)
            throw RPCError(.internalError, "not a change")
        }
        return change
    }

    /// A server whose database holds 2024's plan beside 2023's, and has applied it.
    private static func startWith2024(function: String = #function) async throws -> TallyTestServer {
        let server = try await TallyTestServer.start(function: function)
        let applied = try await server.admin.applyPlan(document: PlanFixtures.plan2024, fileName: "plan-2024.json", dryRun: false)
        _ = try await server.dashboard(server.central, atLeast: applied.lastSequence)
        return server
    }

    func testAWatcherOf2024GetsItsSnapshotAndTotalsAnd2023IsUndisturbed() async throws {
        let server = try await Self.startWith2024()
        let central = server.central

        var of2024 = central.watch(campaign: "2024").makeAsyncIterator()
        var of2023 = central.watch(campaign: "2023").makeAsyncIterator()
        guard case .snapshot(let snapshot2024) = try await Self.next(&of2024).event,
              case .snapshot(let snapshot2023) = try await Self.next(&of2023).event else {
            return XCTFail("each watch starts with a snapshot")
        }
        XCTAssertEqual(snapshot2024.campaign, "2024")
        XCTAssertEqual(snapshot2024.overall.total, 4)
        XCTAssertEqual(snapshot2024.projectCount, 3)
        XCTAssertEqual(snapshot2023.campaign, "2023")
        XCTAssertEqual(snapshot2023.overall.total, 35)
        XCTAssertEqual(snapshot2023.sequence, snapshot2024.sequence)

        // A report into a 2024 target: the 2024 watcher gets 2024's totals, the 2023 watcher the change alone.
        let into2024 = try await server.yinzhu.reportTarget(Requests.increment(ServerCampaignsTests.fixedAssets2024, by: "3"))
        let full2024 = try await Self.nextChange(&of2024)
        XCTAssertEqual(full2024.change.sequence, into2024.sequence)
        XCTAssertEqual(full2024.campaign, "2024")
        XCTAssertEqual(full2024.overall.total, 4)
        XCTAssertEqual(full2024.target.target.currentFigure, "3")
        XCTAssertEqual(full2024.department.department.code, "yinzhu")
        XCTAssertEqual(full2024.department.progress.total, snapshot2024.departments.first { $0.department.code == "yinzhu" }?.progress.total)
        let bare2023 = try await Self.nextChange(&of2023)
        XCTAssertEqual(bare2023.change.sequence, into2024.sequence, "the 2023 watcher still sees every sequence")
        XCTAssertEqual(bare2023.campaign, "2024")
        XCTAssertFalse(bare2023.hasOverall, "no 2024 totals for a 2023 watcher")
        XCTAssertFalse(bare2023.hasDepartment)
        XCTAssertFalse(bare2023.hasTarget)

        // A report into a 2023 target: the other way round, with 2023's totals.
        let into2023 = try await server.yinzhu.reportTarget(Requests.increment(ServerCampaignsTests.fixedAssets2023, by: "2"))
        let full2023 = try await Self.nextChange(&of2023)
        XCTAssertEqual(full2023.change.sequence, into2023.sequence)
        XCTAssertEqual(full2023.campaign, "2023")
        XCTAssertEqual(full2023.overall.total, 35)
        XCTAssertEqual(full2023.target.target.id, ServerCampaignsTests.fixedAssets2023)
        let bare2024 = try await Self.nextChange(&of2024)
        XCTAssertEqual(bare2024.change.sequence, into2023.sequence)
        XCTAssertFalse(bare2024.hasOverall)

        // Resuming a 2023 watch before both reports: both again, in order, each as a 2023 watcher sees it.
        var resumed = central.watch(afterSequence: into2024.sequence - 1, campaign: "2023").makeAsyncIterator()
        let again2024 = try await Self.nextChange(&resumed)
        XCTAssertEqual(again2024.change.sequence, into2024.sequence)
        XCTAssertFalse(again2024.hasOverall)
        let again2023 = try await Self.nextChange(&resumed)
        XCTAssertEqual(again2023.change.sequence, into2023.sequence)
        XCTAssertEqual(again2023.overall.total, 35)
        await server.stop()
    }

    func testWatchingAnUnknownCampaignIsNotFoundListingTheCampaigns() async throws {
        let server = try await Self.startWith2024()
        let central = server.central
        let refused = await assertStatus(.notFound) {
            var events = central.watch(campaign: "2031").makeAsyncIterator()
            _ = try await events.next()
        }
        let message = refused?.message ?? ""
        XCTAssertTrue(message.contains("2031"), message)
        XCTAssertTrue(message.contains("2023, 2024"), message)
        await server.stop()
    }
}
