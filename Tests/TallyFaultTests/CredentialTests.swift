import Foundation
import Logging
import TallyClient
import TallyServerTestSupport
import TallyStore
import TallyTestSupport
import TallyWire
import XCTest
@testable import TallyCore

/// Tokens: random, stored as hashes only, compared in constant time, never logged; revocation is
/// immediate on every server; repeated failures from one peer are slowed down.
final class CredentialTests: XCTestCase {
    func testTokensAreRandomLongAndComparedWithoutEarlyExit() {
        let tokens = (0..<1000).map { _ in Token.generate() }
        XCTAssertEqual(Set(tokens).count, tokens.count)
        for token in tokens {
            XCTAssertTrue(token.hasPrefix(Token.prefix))
            let secret = token.dropFirst(Token.prefix.count)
            XCTAssertGreaterThanOrEqual(secret.count * 4, 128, "at least 128 random bits")
            XCTAssertTrue(secret.allSatisfy(\.isHexDigit))
        }
        // Every hex digit appears at every position across 1000 tokens (a crude randomness check).
        for position in 0..<64 {
            let digits = Set(tokens.map { Array($0.dropFirst(Token.prefix.count))[position] })
            XCTAssertEqual(digits.count, 16, "position \(position) uses only \(digits.count) digits")
        }
        let token = tokens[0]
        XCTAssertTrue(Token.constantTimeEquals(Token.hash(token), Token.hash(token)))
        XCTAssertFalse(Token.constantTimeEquals(Token.hash(token), Token.hash(tokens[1])))
        XCTAssertFalse(Token.constantTimeEquals("abc", "abcd"))
        var lastDiffers = Array(Token.hash(token))
        lastDiffers[63] = lastDiffers[63] == "0" ? "1" : "0"
        XCTAssertFalse(Token.constantTimeEquals(Token.hash(token), String(lastDiffers)))
    }

    func testTokensAreStoredOnlyAsHashesAndNeverLogged() async throws {
        let lines = LogCapture()
        let server = try await TallyTestServer.start(logHandler: { label in lines.handler(label) })
        defer { Task { await server.stop() } }
        let admin = server.client(server.adminToken)
        let created = try await admin.createCredential(name: "new clerk", role: .department, department: "yinzhu")
        let token = created.token
        XCTAssertTrue(token.hasPrefix("tly_"))
        // The database holds the SHA-256 (computed here by PostgreSQL itself), never the token.
        let stored = try DB.text(server.database, "SELECT token_hash FROM credentials WHERE id = $1", [.text(created.credential.id)])
        XCTAssertEqual(stored, try DB.text(server.database, "SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')", [.text(token)]))
        let anywhere = try DB.int(server.database, """
            SELECT (SELECT count(*) FROM credentials c WHERE to_jsonb(c)::text LIKE '%' || $1 || '%')
                 + (SELECT count(*) FROM change_log l WHERE to_jsonb(l)::text LIKE '%' || $1 || '%')
                 + (SELECT count(*) FROM requests r WHERE to_jsonb(r)::text LIKE '%' || $1 || '%')
            """, [.text(String(token.dropFirst(4).prefix(16)))])
        XCTAssertEqual(anywhere, 0, "the token appears in the database")
        // Use it, fail with near misses, then look at every log line.
        let clerk = server.client(token)
        _ = try await clerk.reportTarget(Requests.increment(Plan.yinzhuTargets[0]))
        let nearMiss = String(token.dropLast()) + (token.hasSuffix("0") ? "1" : "0")
        await assertStatus(.unauthenticated, "near miss") { try await server.client(nearMiss).listMine() }
        await assertStatus(.unauthenticated, "malformed") { try await server.client("Basic " + token).listMine() }
        _ = try await admin.revokeCredential(id: created.credential.id)
        await assertStatus(.unauthenticated, "revoked") { try await clerk.listMine() }
        let logged = lines.all
        XCTAssertGreaterThan(logged.count, 0, "the server logged nothing at all: the capture is broken")
        for secret in [token, nearMiss, String(token.dropFirst(4).prefix(16)), server.adminToken] {
            XCTAssertFalse(logged.contains { $0.contains(secret.dropFirst(4).prefix(16)) }, "a token was logged")
        }
    }

    /// Writes by a revoked credential are refused at once on every server (the database checks the
    /// credential in the same transaction); reads served from a server's credential cache stop as soon
    /// as its NOTIFY arrives: the window is measured and bounded.
    func testRevokedTokenStopsWorkingAtOnceOnEveryServer() async throws {
        let first = try await TallyTestServer.start()
        defer { Task { await first.stop() } }
        let second = try await TallyTestServer.start(database: first.database)
        defer { Task { await second.stop() } }
        let admin = first.client(first.adminToken)
        var windows: [Duration] = []
        for round in 0..<5 {
            let created = try await admin.createCredential(name: "clerk \(round)", role: .department, department: "marine-hitech")
            let onSecond = second.client(created.token)
            _ = try await onSecond.listMine()  // now cached by the second server
            _ = try await onSecond.reportTarget(Requests.increment(Plan.marineTargets[0]))
            _ = try await admin.revokeCredential(id: created.credential.id)
            let revoked = ContinuousClock.now
            let before = try DB.fingerprint(first.database)
            // The refused call's start counts (its answer is delayed by the failed-authentication slow-down).
            while true {
                let started = ContinuousClock.now
                do {
                    _ = try await onSecond.listMine()
                    if started - revoked > .seconds(5) { break }
                } catch let error as RPCError {
                    XCTAssertEqual(error.code, .unauthenticated)
                    windows.append(started - revoked)
                    break
                }
            }
            let error = await assertStatus(.unauthenticated, "write right after revocation, second server") {
                try await onSecond.reportTarget(Requests.increment(Plan.marineTargets[0]))
            }
            XCTAssertTrue(error?.message.contains("revoked") ?? false, "\(String(describing: error))")
            XCTAssertEqual(try DB.fingerprint(first.database), before,
                           "a revoked credential's write changed the database")
            await assertStatus(.unauthenticated, "revoked, first server") { try await first.client(created.token).listMine() }
            await onSecond.close()
        }
        XCTAssertLessThan(windows.max() ?? .zero, .seconds(2), "cached reads outlived the revocation: \(windows)")
        print("revocation: cached reads on the other server stopped within \(windows.max() ?? .zero) (all: \(windows))")
    }

    func testRepeatedFailuresFromOnePeerAreSlowedDown() async throws {
        let server = try await TallyTestServer.start()
        defer { Task { await server.stop() } }
        let intruder = server.client("tly_" + String(repeating: "a", count: 64))
        var durations: [Duration] = []
        for _ in 0..<9 {
            let started = ContinuousClock.now
            await assertStatus(.unauthenticated) { try await intruder.listMine() }
            durations.append(ContinuousClock.now - started)
        }
        // Failures 6..9 sleep 100, 200, 400, 800 ms (at least) before answering.
        XCTAssertGreaterThanOrEqual(durations[7], .milliseconds(400), "\(durations)")
        XCTAssertGreaterThanOrEqual(durations[8], .milliseconds(800), "\(durations)")
        // Another peer is not slowed by the intruder's failures; the clerk's valid token still works.
        let proxy = try TCPProxy(upstreamPort: server.port, sourceBase: 100)
        defer { proxy.close() }
        let started = ContinuousClock.now
        await assertStatus(.unauthenticated) { try await TallyClientFactory.client(port: proxy.port, token: "tly_x").listMine() }
        let other = ContinuousClock.now - started
        XCTAssertLessThan(other, durations[8], "another peer's first failure was slowed too")
        _ = try await server.client(server.marineToken).listMine()
        print("failed authentication from one peer: \(durations); another peer's first failure: \(other)")
    }
}
