import Foundation
import TallyMessages
import TallyServerTestSupport
import XCTest

/// The side door's endpoints against a real server and PostgreSQL: health, login, exports, events.
final class SideDoorEndpointTests: XCTestCase {
    static let target = "marine-hitech/hq/new-hq-projects"

    func testHealthAndReadiness() async throws {
        let harness = try await SideDoorHarness.start()
        let health = try await harness.request("GET", "/healthz")
        XCTAssertEqual(health.status, 200)
        let ready = try await harness.request("GET", "/readyz")
        XCTAssertEqual(ready.status, 200, ready.body)
        XCTAssertTrue(ready.body.hasPrefix("ready"), ready.body)
        await harness.stop()
    }

    func testLoginTakesCentralOrAdminTokensOnlyAndSetsAStrictHttpOnlyCookie() async throws {
        let harness = try await SideDoorHarness.start()
        let tokens = harness.tokens
        let department = try await harness.request("POST", "/login", body: "token=\(tokens.marineToken)")
        XCTAssertEqual(department.status, 403)
        XCTAssertNil(department.headers["set-cookie"])
        XCTAssertTrue(department.body.contains("department token"), department.body)
        let unknown = try await harness.request("POST", "/login", body: "token=tly_0000")
        XCTAssertEqual(unknown.status, 401)
        let missing = try await harness.request("POST", "/login", body: "")
        XCTAssertEqual(missing.status, 400)
        XCTAssertTrue(missing.body.contains("token"), missing.body)

        let central = try await harness.request("POST", "/login", body: "token=\(tokens.centralToken)")
        XCTAssertEqual(central.status, 200)
        let cookie = try XCTUnwrap(central.headers["set-cookie"])
        XCTAssertTrue(cookie.contains("HttpOnly"), cookie)
        XCTAssertTrue(cookie.contains("SameSite=Strict"), cookie)
        XCTAssertTrue(cookie.contains("Path=/"), cookie)
        let adminCookie = try await harness.login(tokens.adminToken)
        XCTAssertNotNil(adminCookie)

        let session = try XCTUnwrap(cookie.split(separator: ";").first.map(String.init))
        let withSession = try await harness.request("GET", "/session", cookie: session)
        XCTAssertEqual(withSession.status, 200)
        XCTAssertTrue(withSession.body.contains("central"), withSession.body)
        let without = try await harness.request("GET", "/session")
        XCTAssertEqual(without.status, 401)
        let events = try await harness.request("GET", "/export.json")
        XCTAssertEqual(events.status, 401)
        let departmentCookie = try await harness.request("GET", "/session", cookie: "tally_session=\(tokens.marineToken)")
        XCTAssertEqual(departmentCookie.status, 401, "a token set by hand as the cookie is no session")

        let logout = try await harness.request("POST", "/logout", cookie: session)
        XCTAssertEqual(logout.status, 200)
        XCTAssertTrue(logout.headers["set-cookie"]?.contains("Max-Age=0") ?? false, "\(logout.headers)")
        await harness.stop()
    }

    func testExportsAreTheDashboardInEachFormat() async throws {
        let harness = try await SideDoorHarness.start()
        let cookie = try await XCTUnwrapAsync(await harness.login(harness.tokens.centralToken))
        let sequence = try await harness.server.marine.reportTarget(Requests.set(Self.target, to: "2")).sequence

        let json = try await harness.request("GET", "/export.json", cookie: cookie)
        XCTAssertEqual(json.status, 200)
        let dashboard = try Tally_V1_Dashboard(jsonString: json.body)
        XCTAssertGreaterThanOrEqual(dashboard.sequence, sequence, "read-your-writes: the export includes the report")
        let figure = dashboard.departments.flatMap(\.targets).first { $0.target.id == Self.target }?.target.currentFigure
        XCTAssertEqual(figure, "2")

        let csv = try await harness.request("GET", "/export.csv", cookie: cookie)
        XCTAssertEqual(csv.status, 200)
        XCTAssertTrue(csv.headers["content-type"]?.hasPrefix("text/csv") ?? false)
        XCTAssertTrue(csv.body.contains("新引进总部项目"), String(csv.body.prefix(300)))
        let english = try await harness.request("GET", "/export.csv?lang=en", cookie: cookie)
        XCTAssertTrue(english.body.contains("department,line,target_id"), String(english.body.prefix(200)))

        let html = try await harness.request("GET", "/export.html?lang=en", cookie: cookie)
        XCTAssertEqual(html.status, 200)
        XCTAssertTrue(html.body.contains("海洋高新区"))
        XCTAssertTrue(html.body.contains("planned CNY"), "English money reads CNY in the header as in the rows")
        await harness.stop()
    }

    func testEventsStartWithASnapshotThenEveryChangeAndResumeAfterTheLastID() async throws {
        let harness = try await SideDoorHarness.start()
        let cookie = try await XCTUnwrapAsync(await harness.login(harness.tokens.centralToken))
        let reader = try EventStreamReader(port: harness.httpPort, path: "/events", cookie: cookie)
        let snapshot = try reader.next()
        XCTAssertEqual(snapshot.name, "snapshot")
        let dashboard = try Tally_V1_Dashboard(jsonString: snapshot.data)
        XCTAssertEqual(dashboard.sequence, snapshot.id)
        XCTAssertEqual(Set(dashboard.departments.map(\.department.name)), ["海洋高新区", "隐珠街道"])

        var reported: [Int64] = []
        for _ in 0..<3 {
            reported.append(try await harness.server.marine.reportTarget(Requests.increment(Self.target)).sequence)
        }
        var seen: [Int64] = []
        for _ in reported {
            let event = try reader.next()
            XCTAssertEqual(event.name, "change")
            let change = try Tally_V1_ChangeEvent(jsonString: event.data)
            XCTAssertEqual(change.change.sequence, event.id)
            XCTAssertEqual(change.change.subjectID, Self.target)
            seen.append(event.id)
        }
        XCTAssertEqual(seen, reported)

        // A browser that dropped after the first change resumes with Last-Event-ID: the other two
        // come once each, then the next live change.
        let resumed = try EventStreamReader(port: harness.httpPort, path: "/events", cookie: cookie, lastEventID: reported[0])
        let later = try await harness.server.marine.reportTarget(Requests.increment(Self.target)).sequence
        var again: [Int64] = []
        for _ in 0..<3 { again.append(try resumed.next().id) }
        XCTAssertEqual(again, Array(reported.dropFirst()) + [later])
        // The same through ?after= (a page that reconnects by itself after a refused stream).
        let byQuery = try EventStreamReader(port: harness.httpPort, path: "/events?after=\(reported[1])", cookie: cookie)
        XCTAssertEqual(try byQuery.next().id, reported[2])
        XCTAssertEqual(try byQuery.next().id, later)
        await harness.stop()
    }
}

/// XCTUnwrap for an async expression.
func XCTUnwrapAsync<T>(_ value: @autoclosure () async throws -> T?, file: StaticString = #filePath, line: UInt = #line) async throws -> T {
    let resolved = try await value()
    return try XCTUnwrap(resolved, file: file, line: line)
}
