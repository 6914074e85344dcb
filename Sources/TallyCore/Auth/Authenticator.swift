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
    /// Credentials by token hash: the principal and the client certificate it is bound to, if any.
    private let cache = Mutex<[String: CachedCredential]>([:])
    /// Failed attempts per peer host, with the time of the last one.
    private let failures = Mutex<[String: (count: Int, last: ContinuousClock.Instant)]>([:])
    /// Actions to run when a credential is revoked, by registration number.
    private let revocationWatches = Mutex<(next: UInt64, byID: [UInt64: (credentialID: String, action: @Sendable () -> Void)])>((0, [:]))

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
        cache.withLock { cache in cache = cache.filter { !credentialIDs.contains($0.value.principal.credentialID) } }
        let due = revocationWatches.withLock { watches in
            let hit = watches.byID.filter { credentialIDs.contains($0.value.credentialID) }
            for id in hit.keys { watches.byID[id] = nil }
            return hit.values.map(\.action)
        }
        for action in due { action() }
    }

    /// Runs `action` once when `credentialID` is revoked (on this server or, through the change
    /// feed's NOTIFY, on any other): a web session's open event stream ends with it.
    public func whenRevoked(_ credentialID: String, _ action: @escaping @Sendable () -> Void) -> RevocationWatch {
        let id = revocationWatches.withLock { watches in
            watches.next += 1
            watches.byID[watches.next] = (credentialID, action)
            return watches.next
        }
        return RevocationWatch(id: id, authenticator: self)
    }

    func cancelWatch(_ id: UInt64) {
        _ = revocationWatches.withLock { $0.byID.removeValue(forKey: id) }
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
        return try await authenticate(token: String(parts[1]), peer: context.peer, logger: context.logger,
                                      clientCertificateSHA256: context.clientCertificateSHA256)
    }

    /// The principal of a bearer token presented by `peer` (a call's metadata, or the web dashboard's
    /// login and session cookie), or UNAUTHENTICATED saying what is wrong. A credential bound to a
    /// client certificate is accepted only when `clientCertificateSHA256` is that certificate's.
    public func authenticate(token: String, peer: String, logger: Logger,
                             clientCertificateSHA256: String? = nil) async throws -> Principal {
        try await session(token: token, peer: peer, logger: logger, clientCertificateSHA256: clientCertificateSHA256).principal
    }

    /// As ``authenticate(token:peer:logger:clientCertificateSHA256:)``, with a handle a server-side
    /// session keeps instead of the token.
    public func session(token: String, peer: String, logger: Logger, clientCertificateSHA256: String? = nil)
        async throws -> (principal: Principal, handle: CredentialHandle)
    {
        guard !token.isEmpty, token.count <= 256 else { try await fail(peer, logger, "malformed token") }
        let handle = CredentialHandle(tokenHash: Token.hash(token))
        let principal = try await recheck(handle, peer: peer, logger: logger, clientCertificateSHA256: clientCertificateSHA256)
        return (principal, handle)
    }

    /// The principal of a session's credential now (cached; read again after a revocation anywhere),
    /// or UNAUTHENTICATED when it has been revoked meanwhile.
    public func recheck(_ handle: CredentialHandle, peer: String, logger: Logger, clientCertificateSHA256: String? = nil)
        async throws -> Principal
    {
        let hash = handle.tokenHash
        if let cached = cache.withLock({ $0[hash] }) {
            return try await checkCertificate(cached, clientCertificateSHA256, peer, logger)
        }
        let found: CredentialRow?
        do {
            found = try await pool.read { connection in
                let result = try connection.executePrepared(
                    """
                    SELECT id, role, department, token_hash, revoked_at IS NOT NULL, client_cert_sha256
                    FROM credentials WHERE token_hash = $1
                    """,
                    [.text(hash)])
                guard let row = result.rows.first else { return nil }
                return CredentialRow(
                    id: try row.decode(String.self, at: 0), role: try row.decode(String.self, at: 1),
                    department: try row.decode(String?.self, at: 2), hash: try row.decode(String.self, at: 3),
                    revoked: try row.decode(Bool.self, at: 4), certificate: try row.decode(String?.self, at: 5))
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
        let cached = CachedCredential(principal: principal, certificate: found.certificate)
        cache.withLock { $0[hash] = cached }
        return try await checkCertificate(cached, clientCertificateSHA256, peer, logger)
    }

    /// A credential bound to a client certificate is accepted only over a connection that presented it.
    private func checkCertificate(_ cached: CachedCredential, _ presented: String?, _ peer: String, _ logger: Logger)
        async throws -> Principal
    {
        if let bound = cached.certificate, presented.map({ Token.constantTimeEquals($0, bound) }) != true {
            try await fail(peer, logger, "credential \(cached.principal.credentialID) is bound to a client certificate: "
                + "connect with that certificate (mutual TLS)")
        }
        return cached.principal
    }

    private struct CachedCredential: Sendable {
        var principal: Principal
        /// The bound client certificate's SHA-256 (hex), if any.
        var certificate: String?
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
        var certificate: String?
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
