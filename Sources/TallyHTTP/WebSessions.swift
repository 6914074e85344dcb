import Synchronization
import TallyCore

/// The web dashboard's server-side sessions. `/login` checks a central or admin token once and opens
/// a session; the browser's cookie carries only the session's id, 256 random bits from the OS CSPRNG
/// (``Token/randomHex(bytes:)``), and this store keeps only the id's SHA-256 with the credential's
/// handle (never the token). A session ends when it expires, at `/logout`, when its credential is
/// revoked (every use re-checks the credential, and open event streams end on the revocation
/// notice), and when the process stops: sessions live in this process's memory, so after a restart,
/// or on another server behind the balancer, the page asks for the token again.
final class WebSessions: Sendable {
    /// One open session.
    struct Session: Sendable {
        var principal: Principal
        var handle: CredentialHandle
        var expires: ContinuousClock.Instant
        /// What to run when the session ends (its open event streams), by registration number.
        var endings: [UInt64: @Sendable () -> Void] = [:]
    }

    /// How long a session lasts from login (the cookie's Max-Age says the same).
    let lifetime: Duration
    /// Most sessions kept; beyond it the one closest to expiry is dropped.
    let capacity: Int
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state = Mutex<(sessions: [String: Session], next: UInt64)>(([:], 0))

    init(lifetime: Duration, capacity: Int = 10_000, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
        self.now = now
    }

    /// Opens a session for an authenticated principal; returns the id for the cookie.
    func open(_ principal: Principal, handle: CredentialHandle) -> String {
        let id = Token.randomHex(bytes: 32)
        let instant = now()
        let dropped: [Session] = state.withLock { state in
            var dropped = Array(state.sessions.values.filter { $0.expires <= instant })
            state.sessions = state.sessions.filter { $0.value.expires > instant }
            if state.sessions.count >= capacity, let oldest = state.sessions.min(by: { $0.value.expires < $1.value.expires }) {
                dropped.append(oldest.value)
                state.sessions[oldest.key] = nil
            }
            state.sessions[Self.key(id)] = Session(principal: principal, handle: handle, expires: instant + lifetime)
            return dropped
        }
        Self.runEndings(of: dropped)
        return id
    }

    /// The live session with this id; nil when unknown, ended or expired (an expired one ends now).
    func find(_ id: String) -> Session? {
        let instant = now()
        let key = Self.key(id)
        let (found, expired): (Session?, Session?) = state.withLock { state in
            guard let session = state.sessions[key] else { return (nil, nil) }
            guard session.expires > instant else {
                state.sessions[key] = nil
                return (nil, session)
            }
            return (session, nil)
        }
        Self.runEndings(of: expired.map { [$0] } ?? [])
        return found
    }

    /// Ends one session (`/logout`, or its credential failed a re-check).
    func end(_ id: String) {
        let key = Self.key(id)
        let ended = state.withLock { $0.sessions.removeValue(forKey: key) }
        Self.runEndings(of: ended.map { [$0] } ?? [])
    }

    /// Ends every session of a credential (it was revoked).
    func endAll(credentialID: String) {
        let ended: [Session] = state.withLock { state in
            let hit = state.sessions.filter { $0.value.principal.credentialID == credentialID }
            for key in hit.keys { state.sessions[key] = nil }
            return Array(hit.values)
        }
        Self.runEndings(of: ended)
    }

    /// Runs `action` when the session ends; returns the registration to withdraw with
    /// ``cancelEnding(_:_:)``, or nil (and runs nothing) when the session is already gone.
    func onEnd(_ id: String, _ action: @escaping @Sendable () -> Void) -> UInt64? {
        let key = Self.key(id)
        return state.withLock { state in
            guard state.sessions[key] != nil else { return nil }
            state.next += 1
            state.sessions[key]?.endings[state.next] = action
            return state.next
        }
    }

    /// Withdraws an ``onEnd(_:_:)`` registration.
    func cancelEnding(_ id: String, _ registration: UInt64) {
        let key = Self.key(id)
        state.withLock { _ = $0.sessions[key]?.endings.removeValue(forKey: registration) }
    }

    /// Open sessions (expired ones not yet noticed included).
    var count: Int { state.withLock { $0.sessions.count } }

    /// The store's key of an id: its SHA-256, so the store never holds a live cookie value.
    private static func key(_ id: String) -> String { Token.hash(id) }

    private static func runEndings(of sessions: [Session]) {
        for session in sessions {
            for action in session.endings.values { action() }
        }
    }
}
