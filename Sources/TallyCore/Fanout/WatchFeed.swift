import Foundation
import Synchronization
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
    ///
    /// `sendWithoutWaiting`, when given, takes serialized events without suspending (returning how
    /// many it took, in order): once the watcher is live, each commit's events go through it on the
    /// publishing thread while the watcher has nothing queued, and through `send` otherwise.
    public func run(
        after: Int64, campaign named: String? = nil,
        sendWithoutWaiting: (@Sendable ([[UInt8]]) throws -> Int)? = nil,
        send: (Item) async throws -> Void
    ) async throws -> Ending {
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
        let sentDirectly = LastSentDirectly()
        if let sendWithoutWaiting {
            start.subscription.sendDirectly { chunk in
                Self.sendDirectly(chunk, campaign: campaign, through: sendWithoutWaiting, lastSent: sentDirectly)
            }
        }
        for await delivery in start.subscription.events {
            guard let bytes = try Self.bytes(of: delivery, seenBy: campaign) else { continue }
            try await send(Item(sequence: delivery.sequence, bytes: bytes))
            lastSent = delivery.sequence
        }
        // Whatever went straight came after what the loop sent before it, and the loop sends nothing
        // while something went straight is unsent: the later of the two is the last sent.
        lastSent = max(lastSent, sentDirectly.sequence.withLock { $0 } ?? lastSent)
        if start.subscription.overflowed { return .tooSlow(lastSent: lastSent, capacity: hub.watcherCapacity) }
        return .serverStopping(lastSent: lastSent)
    }

    /// A delivery's bytes as a watcher of `campaign` receives them; nil for another campaign's warning.
    private static func bytes(of delivery: WatchHub.Delivery, seenBy campaign: String) throws -> [UInt8]? {
        if delivery.campaign.isEmpty || delivery.campaign == campaign { return delivery.bytes }
        guard delivery.isChange else { return nil }
        let event = try Tally_V1_WatchEvent(serializedBytes: delivery.bytes)
        return try seen(event, by: campaign).serializedBytes()
    }

    /// The direct way of ``WatchHub/Subscription``: hands the chunk's events to `sendWithoutWaiting`
    /// and answers how many deliveries were handled (sent, or skipped as another campaign's warning)
    /// before the first it did not take. It runs on the publishing thread, so it only passes bytes
    /// on: at a change that must be re-encoded for this watcher's campaign it stops, and the watcher's
    /// task does that one and the rest.
    private static func sendDirectly(
        _ chunk: [WatchHub.Delivery], campaign: String, through sendWithoutWaiting: ([[UInt8]]) throws -> Int,
        lastSent: LastSentDirectly
    ) -> Int {
        var payloads: [[UInt8]] = []
        var owners: [Int] = []  // the delivery of each payload
        payloads.reserveCapacity(chunk.count)
        owners.reserveCapacity(chunk.count)
        var handled = chunk.count
        for (index, delivery) in chunk.enumerated() {
            if delivery.campaign.isEmpty || delivery.campaign == campaign {
                payloads.append(delivery.bytes)
                owners.append(index)
            } else if delivery.isChange {
                handled = index
                break
            }  // else another campaign's warning: skipped
        }
        let taken = (try? sendWithoutWaiting(payloads)) ?? 0
        if taken < payloads.count { handled = owners[taken] }
        if taken > 0 {
            let sequence = chunk[owners[taken - 1]].sequence
            lastSent.sequence.withLock { $0 = sequence }
        }
        return handled
    }

    /// The sequence of the last event sent the direct way, if any.
    private final class LastSentDirectly: Sendable {
        let sequence = Mutex<Int64?>(nil)
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
