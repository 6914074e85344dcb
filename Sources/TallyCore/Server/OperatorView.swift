import Foundation
import Logging
import TallyMessages
import TallyRPC
import TallyStore

/// What the operator's side doors (the web dashboard, metrics, health checks) may see of a running
/// server: authentication of a token, dashboards and the watch feed, and the live figures of its
/// parts. Handed out by ``TallyServer/operatorView`` while the server runs.
public struct OperatorView: Sendable {
    let parts: ServerParts
    let authenticator: Authenticator
    let rpc: RPCServer

    /// The principal of a bearer token (the same check as an RPC call's) and the handle a web session
    /// keeps instead of the token, or an UNAUTHENTICATED RPCError.
    public func session(token: String, peer: String, logger: Logger) async throws -> (principal: Principal, handle: CredentialHandle) {
        try await authenticator.session(token: token, peer: peer, logger: logger)
    }

    /// The principal of a session's credential now, or UNAUTHENTICATED once it has been revoked.
    public func recheck(_ handle: CredentialHandle, peer: String, logger: Logger) async throws -> Principal {
        try await authenticator.recheck(handle, peer: peer, logger: logger)
    }

    /// Runs `action` once when the credential is revoked anywhere; cancel the watch when done.
    public func whenRevoked(_ credentialID: String, _ action: @escaping @Sendable () -> Void) -> RevocationWatch {
        authenticator.whenRevoked(credentialID, action)
    }

    /// A campaign's dashboard now ("2024"; nil: the server's default), including every write this
    /// server has acknowledged; nil when there is no such campaign.
    public func dashboard(campaign: String?) async -> Tally_V1_Dashboard? {
        await ReadYourWrites(totals: parts.totals, writer: parts.writer).wait()
        return parts.totals.dashboard(of: campaign, asOf: nil)
    }

    /// Every campaign's year period, oldest first, and the one shown when none is named.
    public var campaigns: (all: [String], byDefault: String) {
        let state = parts.totals.snapshot
        return (state.campaignCodes, CampaignChoice.defaultCampaign(in: state, at: parts.totals.now()))
    }

    /// The watch feed the RPC Watch uses.
    public var watchFeed: WatchFeed { WatchFeed(hub: parts.hub, pool: parts.pool) }

    /// The sequence the in-memory totals reflect.
    public var appliedSequence: Int64 { parts.totals.sequence }

    /// Watchers (RPC and web) connected to this server.
    public var watcherCount: Int { parts.hub.watcherCount }

    /// RPC connections open on this server.
    public var connectionCount: Int { rpc.connectionCount }

    /// Database connections lent out and callers waiting for one.
    public var poolUsage: (inUse: Int, waiting: Int) { parts.pool.usage }

    /// The change log's last committed sequence, read from the database (throws when it is unreachable).
    public func committedSequence() async throws -> Int64 {
        try await parts.pool.read { connection in
            let result = try connection.executePrepared("SELECT sequence FROM change_log_head WHERE id = 1", [])
            guard let row = result.rows.first else { return 0 }
            return try row.decode(Int64.self, at: 0)
        }
    }
}
