import Foundation
import TallyMessages
import TallyStore

/// One watcher's view of the change feed, shared by the RPC `Watch` and the web dashboard's
/// server-sent events: a snapshot (or, when resuming, the changes after the given sequence, older
/// ones read from the change log), then every change as it commits, each exactly once and in order.
public struct WatchFeed: Sendable {
    /// One event for a watcher, with the sequence it brings the watcher to.
    public struct Item: Sendable {
        public var sequence: Int64
        /// A serialized `Tally_V1_WatchEvent` (serialized once for every watcher).
        public var bytes: [UInt8]

        /// The event, decoded.
        public func event() throws -> Tally_V1_WatchEvent { try Tally_V1_WatchEvent(serializedBytes: bytes) }
    }

    /// Why a watch ended (it never ends while the server runs and the watcher keeps up).
    public enum Ending: Sendable, Equatable {
        /// More than ``WatchHub/watcherCapacity`` changes were queued for this watcher.
        case tooSlow(lastSent: Int64, capacity: Int)
        /// The server is shutting down.
        case serverStopping(lastSent: Int64)
    }

    let hub: WatchHub
    let pool: ConnectionPool

    /// Sends a snapshot (`after == 0`) or the changes after `after`, then each change as it commits,
    /// until the watcher falls too far behind or the server stops; `send` throwing ends it too.
    public func run(after: Int64, send: (Item) async throws -> Void) async throws -> Ending {
        let start = hub.subscribe(after: after)
        defer { hub.unsubscribe(start.subscription) }
        var lastSent = after
        if let range = start.fromLog {
            // Older than the ring: read from the log, in pages, before the ring's events.
            var next = range.lowerBound
            while next <= range.upperBound {
                let page = next...min(range.upperBound, next + 999)
                let changes = try await pool.reading { connection in
                    try ChangeLogReader.read(connection, range: page)
                }
                for change in changes {
                    var event = Tally_V1_WatchEvent()
                    var changeEvent = Tally_V1_ChangeEvent()
                    changeEvent.change = change.proto
                    event.change = changeEvent
                    try await send(Item(sequence: change.sequence, bytes: try event.serializedBytes()))
                    lastSent = change.sequence
                }
                next = page.upperBound + 1
            }
        }
        for event in start.initial {
            let sequence = Self.sequence(of: event) ?? lastSent
            try await send(Item(sequence: sequence, bytes: try event.serializedBytes()))
            lastSent = sequence
        }
        for await delivery in start.subscription.events {
            try await send(Item(sequence: delivery.sequence, bytes: delivery.bytes))
            lastSent = delivery.sequence
        }
        if start.subscription.overflowed { return .tooSlow(lastSent: lastSent, capacity: hub.watcherCapacity) }
        return .serverStopping(lastSent: lastSent)
    }

    private static func sequence(of event: Tally_V1_WatchEvent) -> Int64? {
        switch event.event {
        case .snapshot(let dashboard): dashboard.sequence
        case .change(let change): change.change.sequence
        case .warning(let warning): warning.sequence
        case nil: nil
        }
    }
}
