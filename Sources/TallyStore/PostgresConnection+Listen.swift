internal import CLibPQ
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A NOTIFY received on a channel this connection LISTENs to.
public struct PostgresNotification: Sendable, Hashable {
    /// The channel name.
    public var channel: String
    /// The payload text ("" when none was given).
    public var payload: String
    /// The server process id of the notifying session.
    public var senderPID: Int
}

extension PostgresConnection {
    /// Subscribes this session to `channel` (LISTEN with the name quoted as an identifier).
    public func listen(_ channel: String) throws(StoreError) {
        try execute("LISTEN \(try quoteIdentifier(channel))")
    }

    /// Unsubscribes this session from `channel`.
    public func unlisten(_ channel: String) throws(StoreError) {
        try execute("UNLISTEN \(try quoteIdentifier(channel))")
    }

    /// Sends a notification through `pg_notify($1, $2)`; delivered when the transaction commits.
    public func notify(_ channel: String, payload: String) throws(StoreError) {
        try execute("SELECT pg_notify($1, $2)", [.text(channel), .text(payload)])
    }

    /// Returns the notifications that have arrived, waiting up to `timeout` (poll() on the
    /// connection's socket) when none has yet. Returns [] on timeout.
    public func notifications(timeout: Duration) throws(StoreError) -> [PostgresNotification] {
        let connection = try liveHandle()
        var received = try drainNotifications(connection)
        guard received.isEmpty else { return received }
        let deadline = ContinuousClock.now + timeout
        while received.isEmpty {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { break }
            // PQsocket: the socket descriptor, -1 when there is no open connection.
            let socket = PQsocket(connection)
            guard socket >= 0 else { throw StoreError(kind: .connectionLost, "connection has no socket") }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
            // poll: >0 ready (readable, or POLLHUP/POLLERR: PQconsumeInput then reports the
            // loss), 0 timeout, -1 with errno (EINTR: retry; anything else: an error).
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0 {
                let code = errno
                if code == EINTR { continue }
                throw StoreError(kind: .connectionLost, "poll on the database socket failed (errno \(code))")
            }
            if ready == 0 { continue }
            received = try drainNotifications(connection)
        }
        return received
    }

    /// Reads what the socket has (PQconsumeInput) and copies every queued notification.
    private func drainNotifications(_ connection: OpaquePointer) throws(StoreError) -> [PostgresNotification] {
        // PQconsumeInput: 1 on success (even if nothing was read), 0 on a read error, i.e. the
        // connection broke; the message is in PQerrorMessage.
        guard PQconsumeInput(connection) == 1 else {
            let lost = PQstatus(connection) == CONNECTION_BAD
            throw StoreError(kind: lost ? .connectionLost : .query, Self.clean(PQerrorMessage(connection)))
        }
        var received: [PostgresNotification] = []
        // PQnotifies: the next queued notification (malloc'd, freed with PQfreemem) or NULL.
        while let notify = PQnotifies(connection) {
            let channel = notify.pointee.relname.map { String(cString: $0) } ?? ""
            let payload = notify.pointee.extra.map { String(cString: $0) } ?? ""
            received.append(PostgresNotification(channel: channel, payload: payload, senderPID: Int(notify.pointee.be_pid)))
            PQfreemem(notify)
        }
        return received
    }

    /// Quotes `name` as an SQL identifier (PQescapeIdentifier), e.g. for LISTEN or CREATE DATABASE.
    public func quoteIdentifier(_ name: String) throws(StoreError) -> String {
        let connection = try liveHandle()
        // PQescapeIdentifier: a malloc'd quoted copy (PQfreemem), or NULL on invalid encoding or
        // out of memory, with the reason in PQerrorMessage.
        guard let quoted = PQescapeIdentifier(connection, name, name.utf8.count) else {
            throw StoreError(kind: .query, "cannot quote identifier: \(Self.clean(PQerrorMessage(connection)))")
        }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }
}
