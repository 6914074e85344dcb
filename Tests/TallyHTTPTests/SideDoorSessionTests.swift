import Foundation
import TallyServerTestSupport
import XCTest

/// Web sessions are kept on the server: the cookie holds a random id, never the token; logout ends the
/// session on the server; a revoked credential ends its sessions, open event streams included.
final class SideDoorSessionTests: XCTestCase {
    func testTheCookieCarriesARandomSessionIDNotTheToken() async throws {
        let harness = try await SideDoorHarness.start(door: { $0.sessionLifetime = .seconds(3 * 3600) })
        let token = harness.tokens.centralToken
        let first = try await harness.request("POST", "/login", body: "token=\(token)")
        let second = try await harness.request("POST", "/login", body: "token=\(token)")
        let cookie = try XCTUnwrap(first.headers["set-cookie"])
        let attributes = cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let value = try XCTUnwrap(attributes.first?.split(separator: "=", maxSplits: 1).last.map(String.init))
        XCTAssertFalse(cookie.contains(token), "the token never goes into the cookie")
        XCTAssertFalse(cookie.contains(String(token.dropFirst(4).prefix(16))), "nor any piece of it")
        XCTAssertEqual(value.count, 64, "256 bits in hex: \(value)")
        XCTAssertTrue(value.allSatisfy(\.isHexDigit))
        XCTAssertNotEqual(second.headers["set-cookie"], cookie, "each login opens its own session")
        XCTAssertTrue(attributes.contains("HttpOnly"), cookie)
        XCTAssertTrue(attributes.contains("SameSite=Strict"), cookie)
        XCTAssertTrue(attributes.contains("Max-Age=10800"), "the cookie expires with the session: \(cookie)")
        XCTAssertFalse(attributes.contains("Secure"), "plain HTTP on loopback: no Secure (the browser would drop it)")

        let session = "tally_session=\(value)"
        let check = try await harness.request("GET", "/session", cookie: session)
        XCTAssertEqual(check.status, 200, check.body)
        let forged = try await harness.request("GET", "/session", cookie: "tally_session=\(token)")
        XCTAssertEqual(forged.status, 401, "a token set as the cookie by hand is no session")
        let guessed = try await harness.request("GET", "/session", cookie: "tally_session=\(String(repeating: "0", count: 64))")
        XCTAssertEqual(guessed.status, 401)
        await harness.stop()
    }

    func testLogoutEndsTheSessionOnTheServer() async throws {
        let harness = try await SideDoorHarness.start()
        let cookie = try await XCTUnwrapAsync(await harness.login(harness.tokens.adminToken))
        let other = try await XCTUnwrapAsync(await harness.login(harness.tokens.adminToken))
        let reader = try EventStreamReader(port: harness.httpPort, path: "/events", cookie: cookie)
        XCTAssertEqual(try reader.next().name, "snapshot")

        let logout = try await harness.request("POST", "/logout", cookie: cookie)
        XCTAssertEqual(logout.status, 200)
        XCTAssertTrue(logout.headers["set-cookie"]?.contains("Max-Age=0") ?? false, "\(logout.headers)")
        // A copy of the cookie kept elsewhere (another tab, a stolen copy) no longer works.
        let replayed = try await harness.request("GET", "/export.json", cookie: cookie)
        XCTAssertEqual(replayed.status, 401, replayed.body)
        XCTAssertTrue(replayed.body.contains("session has ended"), replayed.body)
        XCTAssertThrowsError(try reader.next(), "the open event stream ends with the session") { error in
            XCTAssertEqual("\(error)", "closed")
        }
        let stillIn = try await harness.request("GET", "/session", cookie: other)
        XCTAssertEqual(stillIn.status, 200, "another session of the same credential goes on")
        await harness.stop()
    }

    func testARevokedCredentialEndsItsSessions() async throws {
        let harness = try await SideDoorHarness.start()
        let admin = try harness.server.admin
        let created = try await admin.createCredential(name: "wall screen", role: .central)
        let cookie = try await XCTUnwrapAsync(await harness.login(created.token))
        let second = try await XCTUnwrapAsync(await harness.login(created.token))
        let bystander = try await XCTUnwrapAsync(await harness.login(harness.tokens.centralToken))
        let reader = try EventStreamReader(port: harness.httpPort, path: "/events", cookie: cookie)
        XCTAssertEqual(try reader.next().name, "snapshot")
        let before = try await harness.request("GET", "/session", cookie: second)
        XCTAssertEqual(before.status, 200)

        _ = try await admin.revokeCredential(id: created.credential.id)
        XCTAssertThrowsError(try reader.next(), "the open event stream ends at the revocation") { error in
            XCTAssertEqual("\(error)", "closed")
        }
        for session in [cookie, second] {
            let after = try await harness.request("GET", "/export.csv", cookie: session)
            XCTAssertEqual(after.status, 401, after.body)
        }
        let reconnect = try EventStreamReader(port: harness.httpPort, path: "/events", cookie: cookie)
        XCTAssertThrowsError(try reconnect.next(), "the browser's reconnect is refused")
        XCTAssertEqual(reconnect.status, 401)
        let unaffected = try await harness.request("GET", "/session", cookie: bystander)
        XCTAssertEqual(unaffected.status, 200, "other credentials' sessions go on")
        let again = try await harness.request("POST", "/login", body: "token=\(created.token)")
        XCTAssertEqual(again.status, 401, "nor can the revoked token log in again")
        await harness.stop()
    }

    func testADepartmentTokenGetsNoSession() async throws {
        let harness = try await SideDoorHarness.start()
        let refused = try await harness.request("POST", "/login", body: "token=\(harness.tokens.yinzhuToken)")
        XCTAssertEqual(refused.status, 403)
        XCTAssertNil(refused.headers["set-cookie"])
        await harness.stop()
    }
}
