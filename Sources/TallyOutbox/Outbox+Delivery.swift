import Foundation
import GRDB
import TallyClient
import TallyWire

/// What one delivery run did.
public struct OutboxDelivery: Sendable {
    /// Items the server applied now (or recognised as applied before: `replayed`).
    public var delivered: [OutboxItem] = []
    /// Items the server refused now; kept as failed with its message.
    public var failed: [OutboxItem] = []
    /// The failure that stopped the run with items still queued (the server unreachable, or the
    /// credential refused), if any.
    public var stoppedBy: RPCError?
    /// Items still queued for this server when the run ended.
    public var remaining = 0

    /// Whether the run stopped because the server refused the credential: waiting will not help.
    public var credentialRefused: Bool {
        guard let stoppedBy else { return false }
        return stoppedBy.code == .unauthenticated
    }

    /// An empty run, to add to.
    public init() {}
}

/// The outcome of ``Outbox/submit(_:using:)``.
public enum OutboxSubmission: Sendable {
    /// The server applied the write; earlier queued items were delivered first.
    case delivered(OutboxResponse, earlier: OutboxDelivery)
    /// The write waits in the outbox (on disk) because the server could not be reached.
    case queued(OutboxItem, reason: RPCError)
}

extension Outbox {
    /// Delivers the queued items of the client's server in the order they were made. Each is sent
    /// with its stored request id, so one the server applied before (its answer lost, or this
    /// process killed before it noted the answer) is recognised and not applied twice. An item the
    /// server refuses becomes failed with the server's message and is not sent again; a server that
    /// cannot be reached stops the run and leaves the rest queued, in order.
    public func deliver(using client: TallyClient) async -> OutboxDelivery {
        var run = OutboxDelivery()
        let server = client.address.description
        var after: Int64 = 0
        while true {
            let next: OutboxItem?
            do {
                next = try nextQueued(server: server, after: after)
            } catch {
                run.stoppedBy = RPCError(.internalError, "outbox file \(path): \(error)")
                break
            }
            guard let item = next else { break }
            after = item.id
            switch await attempt(item, client) {
            case .delivered(let delivered, _): run.delivered.append(delivered)
            case .failed(let failed): run.failed.append(failed)
            case .stopped(let error): run.stoppedBy = error
            }
            if run.stoppedBy != nil { break }
        }
        run.remaining = (try? items([.queued], server: server).count) ?? 0
        return run
    }

    /// Sends a write through the outbox: it is stored first (so a crash at any later point loses
    /// nothing and repeats nothing), then everything queued for the server is delivered in order.
    /// Returns the server's answer, or `.queued` when the server cannot be reached. When the server
    /// refuses this write, the item is removed and the refusal thrown: the caller is there to read it.
    ///
    /// A request id the outbox already holds (a retry with the same `--request-id`) is the same
    /// write again: that item is sent (the server replays it when it was applied) instead of a second
    /// one, a failed item included. A different write under that request id is refused with
    /// INVALID_ARGUMENT, as the server refuses one, and nothing is stored or sent.
    public func submit(_ write: OutboxWrite, using client: TallyClient) async throws -> OutboxSubmission {
        let item = try itemToSend(write, server: client.address.description)
        var earlier = OutboxDelivery()
        var after: Int64 = 0
        while let next = try nextQueued(server: item.server, after: after) {
            after = next.id
            let outcome = await attempt(next, client)
            if next.id == item.id {
                switch outcome {
                case .delivered(_, let response):
                    earlier.remaining = try items([.queued], server: item.server).count
                    return .delivered(response, earlier: earlier)
                case .failed(let failed):
                    try drop(failed.id)
                    throw RPCError(failed.statusCode ?? .unknown, failed.message ?? "refused")
                case .stopped(let error):
                    return try queuedOrThrown(item, error)
                }
            }
            switch outcome {
            case .delivered(let delivered, _): earlier.delivered.append(delivered)
            case .failed(let failed): earlier.failed.append(failed)
            case .stopped(let error): return try queuedOrThrown(item, error)
            }
        }
        // Another process delivered it meanwhile.
        let current = try self.item(item.id) ?? item
        throw OutboxError("#\(current.id) was \(current.state.rawValue) by another process while this one waited")
    }

    /// The item that carries `write`: a new one, or the one already stored under its request id
    /// when that is the same write (made-at aside), put back in the queue unless it waits there already.
    private func itemToSend(_ write: OutboxWrite, server: String) throws -> OutboxItem {
        guard let stored = try item(requestID: write.requestID) else { return try enqueue(write, server: server) }
        guard stored.server == server, stored.write.madeAtCleared == write.madeAtCleared else {
            throw RPCError(.invalidArgument, """
                request_id: request id "\(write.requestID)" was used for a different request (outbox #\(stored.id), \
                \(stored.write.method) \(stored.write.subject) for \(stored.server)); a new request needs a new request id
                """)
        }
        guard stored.state != .queued else { return stored }
        try store.database.write { db in
            try db.execute(sql: "UPDATE outbox SET state = 'queued' WHERE id = ?", arguments: [stored.id])
        }
        return try self.item(stored.id) ?? stored
    }

    /// A new write that stops short of the server: queued when the server cannot be reached; removed
    /// and thrown when the credential is refused (fix the token, then report again).
    private func queuedOrThrown(_ item: OutboxItem, _ error: RPCError) throws -> OutboxSubmission {
        if error.code == .unauthenticated {
            try drop(item.id)
            throw error
        }
        return .queued(try self.item(item.id) ?? item, reason: error)
    }

    private enum Attempt {
        case delivered(OutboxItem, OutboxResponse)
        /// Refused for good: the item is failed.
        case failed(OutboxItem)
        /// The item stays queued and the run stops: the server cannot be reached, or the credential
        /// is refused (a matter of the token, not of the item).
        case stopped(RPCError)
    }

    /// One send of one item, with the outcome written to the file before it is returned.
    private func attempt(_ item: OutboxItem, _ client: TallyClient) async -> Attempt {
        let started = OutboxStore.milliseconds(clock())
        do {
            try await store.database.write { db in
                try db.execute(sql: "UPDATE outbox SET attempts = attempts + 1, last_attempt_ms = ? WHERE id = ?",
                               arguments: [started, item.id])
            }
        } catch {
            return .stopped(RPCError(.internalError, "outbox file \(path): \(error)"))
        }
        let error: RPCError
        do {
            let response = try await item.write.send(client)
            let now = OutboxStore.milliseconds(clock())
            try await store.database.write { db in
                try db.execute(sql: """
                    UPDATE outbox SET state = 'delivered', sequence = ?, replayed = ?, delivered_ms = ?,
                                      status_code = NULL, message = NULL
                    WHERE id = ?
                    """, arguments: [response.sequence, response.replayed, now, item.id])
            }
            return .delivered(try self.item(item.id) ?? item, response)
        } catch let rpc as RPCError {
            error = rpc
        } catch {
            // The answer was applied but noting it failed (the file), or an unexpected local error:
            // the item stays queued and its next delivery is a recognised replay.
            return .stopped(RPCError(.unknown, "\(error)"))
        }
        let refused = !Self.keepsQueued(error, attempts: item.attempts + 1)
        do {
            try await store.database.write { db in
                try db.execute(sql: "UPDATE outbox SET state = ?, status_code = ?, message = ? WHERE id = ?",
                               arguments: [refused ? "failed" : "queued", error.code.rawValue, error.message, item.id])
            }
        } catch {
            return .stopped(RPCError(.internalError, "outbox file \(path): \(error)"))
        }
        if !refused { return .stopped(error) }
        return .failed((try? self.item(item.id)) ?? item)
    }

    /// Whether a failure leaves the item queued for a later run (SPEC.md 9.3): the server could not
    /// be reached or was busy, an internal error that may pass (three attempts at most), or the
    /// credential was refused (every item would be, until the token is fixed).
    static func keepsQueued(_ error: RPCError, attempts: Int) -> Bool {
        switch error.code {
        case .unavailable, .deadlineExceeded, .resourceExhausted, .cancelled, .unauthenticated: true
        case .internalError: attempts < 3
        default: false
        }
    }

    private func nextQueued(server: String, after: Int64) throws -> OutboxItem? {
        try store.database.read { db in
            try Row.fetchOne(db, sql: """
                SELECT * FROM outbox WHERE server = ? AND state = 'queued' AND id > ? ORDER BY id LIMIT 1
                """, arguments: [server, after]).map(OutboxStore.item)
        }
    }
}
