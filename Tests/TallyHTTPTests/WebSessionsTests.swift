import Synchronization
@testable import TallyCore
@testable import TallyHTTP
import XCTest

/// The session store on its own, with a clock the test moves: expiry, ending, the capacity bound.
final class WebSessionsTests: XCTestCase {
    private let principal = Principal(credentialID: "c1", role: .central, department: nil)

    func testASessionExpiresAfterItsLifetimeAndItsStreamsEndThen() throws {
        let clock = TestClock()
        let sessions = WebSessions(lifetime: .seconds(60), now: clock.now)
        let handle = try XCTUnwrap(Self.handle())
        let id = sessions.open(principal, handle: handle)
        let ended = Mutex(0)
        XCTAssertNotNil(sessions.onEnd(id) { ended.withLock { $0 += 1 } })
        clock.advance(.seconds(59))
        XCTAssertEqual(sessions.find(id)?.principal, principal)
        XCTAssertEqual(ended.withLock { $0 }, 0)
        clock.advance(.seconds(1))
        XCTAssertNil(sessions.find(id), "gone at its expiry")
        XCTAssertEqual(ended.withLock { $0 }, 1, "what waited on it ran once")
        XCTAssertNil(sessions.find(id))
        XCTAssertEqual(ended.withLock { $0 }, 1)
        XCTAssertNil(sessions.onEnd(id) {}, "an ended session takes no registrations")
    }

    func testEndingByIDOrCredentialAndTheCapacityBound() throws {
        let clock = TestClock()
        let sessions = WebSessions(lifetime: .seconds(600), capacity: 3, now: clock.now)
        let handle = try XCTUnwrap(Self.handle())
        let other = Principal(credentialID: "c2", role: .admin, department: nil)
        let a = sessions.open(principal, handle: handle)
        clock.advance(.seconds(1))
        let b = sessions.open(principal, handle: handle)
        clock.advance(.seconds(1))
        let c = sessions.open(other, handle: handle)
        XCTAssertEqual(Set([a, b, c]).count, 3)
        sessions.endAll(credentialID: "c1")
        XCTAssertNil(sessions.find(a))
        XCTAssertNil(sessions.find(b))
        XCTAssertNotNil(sessions.find(c))
        sessions.end(c)
        XCTAssertNil(sessions.find(c))

        let kept = (0..<4).map { _ -> String in
            clock.advance(.seconds(1))
            return sessions.open(principal, handle: handle)
        }
        XCTAssertEqual(sessions.count, 3, "never more than the capacity")
        XCTAssertNil(sessions.find(kept[0]), "the one closest to expiry made room")
        XCTAssertNotNil(sessions.find(kept[3]))
    }

    /// A credential handle (outside tests only a token that authenticated makes one). The store never
    /// looks into it, so any handle serves; the server tests use real ones.
    private static func handle() -> CredentialHandle? {
        CredentialHandle(tokenHash: Token.hash("tly_test"))
    }
}

/// A clock that moves only when the test says.
private final class TestClock: Sendable {
    private let start = ContinuousClock.now
    private let offset = Mutex(Duration.zero)

    var now: @Sendable () -> ContinuousClock.Instant { { [self] in start + offset.withLock { $0 } } }

    func advance(_ duration: Duration) { offset.withLock { $0 += duration } }
}
