import Foundation
import Logging
import Synchronization
import TallyRPC
import TallyStore
import TallyWire

/// Turns a call's `authorization: Bearer <token>` metadata into a ``Principal``.
///
/// Credentials are cached by token hash so that a call costs no database round trip; the cache is
/// emptied whenever any server revokes a credential (NOTIFY `tally_credentials`, see ``ChangeFeed``),
/// so a revoked token stops working at once everywhere. Repeated failures from one peer are slowed
/// down. Tokens are never logged. The router asks it for every method that needs a credential
/// (``AuthenticationInterceptor``), so handlers never authenticate themselves.
public final class Authenticator: PrincipalResolver, Sendable {
    private let pool: ConnectionPool
    /// Principals by token hash.
    private let cache = Mutex<[String: Principal]>([:])
    /// Failed attempts per peer host, with the time of the last one.
    private let failures = Mutex<[String: (count: Int, last: ContinuousClock.Instant)]>([:])

    /// Failures a peer may make before each further attempt is delayed.
    static let freeFailures = 5

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// Forgets every cached credential.
    public func invalidate() {
        cache.withLock { $0.removeAll() }
    }

    /// Forgets the cached credentials with these ids (revoked ones). The rest stay cached, so calls
    /// that need no database, such as dashboards, keep working while the database is away.
    public func evict(credentialIDs: Set<String>) {
        guard !credentialIDs.isEmpty else { return }
        cache.withLock { cache in cache = cache.filter { !credentialIDs.contains($0.value.credentialID) } }
    }

    /// The principal of a call, or UNAUTHENTICATED with a message saying what is wrong.
    public func principal(of context: ServerContext) async throws -> Principal {
        guard let header = context.metadata["authorization"] else {
            try await fail(context.peer, context.logger, "missing credentials: send metadata \"authorization: Bearer <token>\"")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty, parts[1].count <= 256 else {
            try await fail(context.peer, context.logger, "malformed authorization metadata: expected \"Bearer <token>\"")
        }
        return try await authenticate(token: String(parts[1]), peer: context.peer, logger: context.logger)
    }

    /// The principal of a bearer token presented by `peer` (a call's metadata, or the web dashboard's
    /// login and session cookie), or UNAUTHENTICATED saying what is wrong.
    public func authenticate(token: String, peer: String, logger: Logger) async throws -> Principal {
        guard !token.isEmpty, token.count <= 256 else { try await fail(peer, logger, "malformed token") }
        let hash = Token.hash(token)
        if let principal = cache.withLock({ $0[hash] }) {
            return principal
        }
        let found: CredentialRow?
        do {
            found = try await pool.read { connection in
                let result = try connection.executePrepared(
                    "SELECT id, role, department, token_hash, revoked_at IS NOT NULL FROM credentials WHERE token_hash = $1",
                    [.text(hash)])
                guard let row = result.rows.first else { return nil }
                return CredentialRow(
                    id: try row.decode(String.self, at: 0), role: try row.decode(String.self, at: 1),
                    department: try row.decode(String?.self, at: 2), hash: try row.decode(String.self, at: 3),
                    revoked: try row.decode(Bool.self, at: 4))
            }
        } catch {
            throw StatusMapping.rpcError(error)
        }
        guard let found, Token.constantTimeEquals(found.hash, hash) else {
            try await fail(peer, logger, "unknown token")
        }
        guard !found.revoked else {
            try await fail(peer, logger, "credential \(found.id) has been revoked")
        }
        guard let role = Role(rawValue: found.role) else {
            throw RPCError(.internalError, "credential \(found.id) has an unknown role")
        }
        let principal = Principal(credentialID: found.id, role: role, department: found.department)
        cache.withLock { $0[hash] = principal }
        return principal
    }

    /// The principal's role name, matched against a method's declared ``MethodAccess``.
    public func role(of principal: Principal) -> String {
        principal.role.rawValue
    }

    /// PERMISSION_DENIED saying who may call the method instead.
    public func refusal(of principal: Principal, access: MethodAccess, context: ServerContext) -> RPCError {
        principal.refusal(access)
    }

    private struct CredentialRow: Sendable {
        var id: String
        var role: String
        var department: String?
        var hash: String
        var revoked: Bool
    }

    /// Records a failure for the peer, waits if it has failed often, and throws UNAUTHENTICATED.
    private func fail(_ peer: String, _ logger: Logger, _ message: String) async throws -> Never {
        let host = Self.host(of: peer)
        let now = ContinuousClock.now
        let count: Int = failures.withLock { failures in
            var entry = failures[host] ?? (0, now)
            if now - entry.last > .seconds(60) { entry.count = 0 }
            entry.count += 1
            entry.last = now
            failures[host] = entry
            if failures.count > 10_000 { failures = failures.filter { now - $0.value.last < .seconds(60) } }
            return entry.count
        }
        if count > Self.freeFailures {
            let exponent = min(count - Self.freeFailures, 6)
            try? await Task.sleep(for: .milliseconds(50 << exponent))
        }
        logger.notice("authentication failed", metadata: ["peer": "\(peer)", "reason": "\(message)"])
        throw RPCError(.unauthenticated, message)
    }

    private static func host(of peer: String) -> String {
        if let bracket = peer.lastIndex(of: "]") { return String(peer[...bracket]) }
        if let colon = peer.lastIndex(of: ":") { return String(peer[..<colon]) }
        return peer
    }
}
