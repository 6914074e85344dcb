import Foundation
import TallyMessages
import TallyServerTestSupport
import XCTest

/// `?campaign=` on the side door: the exports and the event stream of a named campaign beside the
/// default one, the list the page's selector shows, and 404 naming an unknown campaign.
final class SideDoorCampaignTests: XCTestCase {
    static let target2023 = "marine-hitech/hq/new-hq-projects"
    static let target2024 = "2024/marine-hitech/hq/new-hq-projects"

    /// Tests/Fixtures/plan-2024.json: two departments, four targets, three projects of 2024.
    static var plan2024: String {
        get throws {
            let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            return try String(contentsOf: tests.appendingPathComponent("Fixtures/plan-2024.json"), encoding: .utf8)
        }
    }

    /// A side door whose database holds 2023's plan and 2024's beside it.
    static func startWith2024(clock: Date? = nil, function: String = #function) async throws -> SideDoorHarness {
        let harness = try await SideDoorHarness.start(function: function, clock: clock)
        let applied = try await harness.server.admin.applyPlan(document: try plan2024, fileName: "plan-2024.json", dryRun: false)
        _ = try await harness.server.dashboard(try harness.server.central, atLeast: applied.lastSequence)
        return harness
    }

    func testExportsAndCampaignListFollowTheCampaignParameter() async throws {
        let harness = try await Self.startWith2024()
        let cookie = try await XCTUnwrapAsync(await harness.login(harness.tokens.centralToken))

        let list = try await harness.request("GET", "/campaigns", cookie: cookie)
        XCTAssertEqual(list.status, 200)
        XCTAssertEqual(list.body, #"{"campaigns":["2023","2024"],"default":"2024"}"#, "today (after 2024): the latest finished")
        let anonymous = try await harness.request("GET", "/campaigns")
        XCTAssertEqual(anonymous.status, 401)

        let of2023 = try Tally_V1_Dashboard(jsonString: try await harness.request("GET", "/export.json?campaign=2023", cookie: cookie).body)
        XCTAssertEqual(of2023.campaign, "2023")
        XCTAssertEqual(of2023.overall.total, 35)
        let of2024 = try Tally_V1_Dashboard(jsonString: try await harness.request("GET", "/export.json?campaign=2024", cookie: cookie).body)
        XCTAssertEqual(of2024.campaign, "2024")
        XCTAssertEqual(of2024.overall.total, 4)
        let byDefault = try Tally_V1_Dashboard(jsonString: try await harness.request("GET", "/export.json", cookie: cookie).body)
        XCTAssertEqual(byDefault.campaign, "2024")
        let csv = try await harness.request("GET", "/export.csv?campaign=2023&lang=en", cookie: cookie)
        XCTAssertTrue(csv.body.contains(Self.target2023), String(csv.body.prefix(300)))
        XCTAssertFalse(csv.body.contains(Self.target2024))

        let unknown = try await harness.request("GET", "/export.json?campaign=2031", cookie: cookie)
        XCTAssertEqual(unknown.status, 404)
        XCTAssertTrue(unknown.body.contains("campaign 2031: no such campaign (campaigns: 2023, 2024)"), unknown.body)
        let unknownEvents = try await harness.request("GET", "/events?campaign=2031", cookie: cookie)
        XCTAssertEqual(unknownEvents.status, 404)
        XCTAssertTrue(unknownEvents.body.contains("2031"), unknownEvents.body)
        await harness.stop()
    }

    func testEventsOfACampaignCarryItsTotalsAndOtherCampaignsChangesBare() async throws {
        let harness = try await Self.startWith2024()
        let cookie = try await XCTUnwrapAsync(await harness.login(harness.tokens.centralToken))
        let reader = try EventStreamReader(port: harness.httpPort, path: "/events?campaign=2023", cookie: cookie)
        let snapshot = try Tally_V1_Dashboard(jsonString: try reader.next().data)
        XCTAssertEqual(snapshot.campaign, "2023")
        XCTAssertEqual(snapshot.overall.total, 35)

        let marine = try harness.server.marine
        let into2024 = try await marine.reportTarget(Requests.set(Self.target2024, to: "1")).sequence
        let into2023 = try await marine.reportTarget(Requests.set(Self.target2023, to: "2")).sequence
        let first = try reader.next()
        XCTAssertEqual(first.id, into2024, "every sequence comes, the other campaign's too")
        let bare = try Tally_V1_ChangeEvent(jsonString: first.data)
        XCTAssertEqual(bare.campaign, "2024")
        XCTAssertFalse(bare.hasOverall, "no 2024 totals on a 2023 stream")
        let second = try reader.next()
        XCTAssertEqual(second.id, into2023)
        let full = try Tally_V1_ChangeEvent(jsonString: second.data)
        XCTAssertEqual(full.campaign, "2023")
        XCTAssertEqual(full.overall.total, 35)
        XCTAssertEqual(full.target.target.currentFigure, "2")

        // The page's resume (?after=) keeps the campaign.
        let resumed = try EventStreamReader(port: harness.httpPort, path: "/events?campaign=2024&after=\(into2024 - 1)", cookie: cookie)
        let again = try Tally_V1_ChangeEvent(jsonString: try resumed.next().data)
        XCTAssertEqual(again.change.sequence, into2024)
        XCTAssertEqual(again.overall.total, 4)
        let other = try Tally_V1_ChangeEvent(jsonString: try resumed.next().data)
        XCTAssertEqual(other.change.sequence, into2023)
        XCTAssertFalse(other.hasOverall)
        await harness.stop()
    }
}
