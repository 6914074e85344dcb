import Foundation
import TallyMessages
import TallyStore
import TallyWire

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
    /// `campaign` (nil: the default when it starts) chooses the snapshot and which changes come with
    /// their totals: another campaign's come with the change alone, and its warnings not at all.
    /// An unknown campaign throws NOT_FOUND naming it and listing the campaigns.
    public func run(after: Int64, campaign named: String? = nil, send: (Item) async throws -> Void) async throws -> Ending {
        if let named {
            let known = hub.totals.snapshot.campaignCodes
            guard known.contains(named) else {
                throw RPCError(.notFound, "campaign \(named): no such campaign (campaigns: \(known.joined(separator: ", ")))")
            }
        }
        let start = hub.subscribe(after: after, campaign: named)
        defer { hub.unsubscribe(start.subscription) }
        let campaign = start.campaign
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
            try await send(Item(sequence: sequence, bytes: try Self.seen(event, by: campaign).serializedBytes()))
            lastSent = sequence
        }
        for await delivery in start.subscription.events {
            if delivery.campaign.isEmpty || delivery.campaign == campaign {
                try await send(Item(sequence: delivery.sequence, bytes: delivery.bytes))
            } else if delivery.isChange {
                let event = try Tally_V1_WatchEvent(serializedBytes: delivery.bytes)
                try await send(Item(sequence: delivery.sequence, bytes: try Self.seen(event, by: campaign).serializedBytes()))
            } else {
                continue  // another campaign's warning
            }
            lastSent = delivery.sequence
        }
        if start.subscription.overflowed { return .tooSlow(lastSent: lastSent, capacity: hub.watcherCapacity) }
        return .serverStopping(lastSent: lastSent)
    }

    /// The event as a watcher of `campaign` sees it: a change carrying another campaign's totals
    /// keeps only the change and the campaign it belongs to (the sequence stays gap-free).
    static func seen(_ event: Tally_V1_WatchEvent, by campaign: String) -> Tally_V1_WatchEvent {
        guard case .change(let full) = event.event, !full.campaign.isEmpty, full.campaign != campaign else { return event }
        var change = Tally_V1_ChangeEvent()
        change.change = full.change
        change.campaign = full.campaign
        var bare = Tally_V1_WatchEvent()
        bare.change = change
        return bare
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
