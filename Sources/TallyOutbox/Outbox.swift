import Foundation
import GRDB
import TallyWire

/// A department's durable outbox: writes that could not reach the server wait here, in one SQLite
/// file, and are delivered later in the order they were made, each exactly once thanks to its
/// stored request id (Protocol/SPEC.md 11, "Reports made earlier").
///
/// An item is on disk (fsynced) before ``enqueue(_:server:)`` returns. Share one instance between
/// tasks; several processes may also open the same file.
public final class Outbox: Sendable {
    /// The outbox file.
    public let path: String
    let store: OutboxStore
    let clock: @Sendable () -> Date

    /// Opens (or creates) the outbox file at `path`. `clock` stamps writes with the instant they are
    /// made; tests give a fixed one.
    public init(path: String, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.path = path
        self.store = try OutboxStore(path: path)
        self.clock = clock
    }

    /// Stores a write for `server` ("host:port"), stamped with the instant it is made unless it
    /// carries one, and returns the queued item once the transaction is on disk.
    @discardableResult
    public func enqueue(_ write: OutboxWrite, server: String) throws -> OutboxItem {
        guard !write.requestID.isEmpty else { throw OutboxError("a queued write needs a request id") }
        let stamped = write.stamped(OutboxStore.milliseconds(clock()))
        let body = try stamped.serialized()
        let id = try store.database.write { db -> Int64 in
            try db.execute(sql: """
                INSERT INTO outbox (server, method, request_id, body, subject, expected_version, made_at_ms, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'queued')
                """, arguments: [server, stamped.method, stamped.requestID, body, stamped.subject,
                                 stamped.expectedVersion, stamped.madeAtUnixMs])
            return db.lastInsertedRowID
        }
        guard let item = try item(id) else { throw OutboxError("outbox item #\(id) vanished after it was written") }
        return item
    }

    /// Items in the given states, oldest first; all servers unless one is named.
    public func items(_ states: Set<OutboxItem.State> = [.queued, .failed], server: String? = nil) throws -> [OutboxItem] {
        let names = states.map(\.rawValue)
        return try store.database.read { db in
            var sql = "SELECT * FROM outbox WHERE state IN (\(databaseQuestionMarks(count: names.count)))"
            var arguments = StatementArguments(names)
            if let server {
                sql += " AND server = ?"
                arguments += [server]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY id", arguments: arguments).map(OutboxStore.item)
        }
    }

    /// One item, nil when there is none with that number.
    public func item(_ id: Int64) throws -> OutboxItem? {
        try store.database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE id = ?", arguments: [id]).map(OutboxStore.item)
        }
    }

    /// Removes a queued or failed item for good: it will not be sent. A delivered item stays.
    @discardableResult
    public func drop(_ id: Int64) throws -> OutboxItem {
        let item = try existing(id)
        guard item.state != .delivered else {
            throw OutboxError("#\(id) was delivered (sequence #\(item.sequence ?? 0)); there is nothing to drop")
        }
        try store.database.write { db in
            try db.execute(sql: "DELETE FROM outbox WHERE id = ? AND state <> 'delivered'", arguments: [id])
        }
        return item
    }

    /// Puts a failed item back in the queue, with the same request id, for the next delivery
    /// (after the cause was fixed: a permission granted, a token renewed). It keeps its place.
    @discardableResult
    public func retry(_ id: Int64) throws -> OutboxItem {
        let item = try existing(id)
        guard item.state == .failed else {
            throw OutboxError("#\(id) is \(item.state.rawValue), not failed; only a failed item is retried")
        }
        try store.database.write { db in
            try db.execute(sql: "UPDATE outbox SET state = 'queued' WHERE id = ? AND state = 'failed'", arguments: [id])
        }
        return try existing(id)
    }

    /// The item stored under a request id, nil when there is none.
    public func item(requestID: String) throws -> OutboxItem? {
        try store.database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE request_id = ?", arguments: [requestID]).map(OutboxStore.item)
        }
    }

    private func existing(_ id: Int64) throws -> OutboxItem {
        guard let item = try item(id) else { throw OutboxError("there is no outbox item #\(id)") }
        return item
    }
}
