import Dispatch
import Foundation
import Synchronization
import TallyMessages

/// Fans committed changes out to every watcher of this server.
///
/// Each watcher has a bounded queue; a watcher that falls too far behind is cut off (its stream ends
/// with RESOURCE_EXHAUSTED) and resumes from its last sequence, so one slow reader costs bounded memory
/// and never slows the others. Recent events are kept in a ring so that a reconnecting watcher is
/// served from memory; older ones come from the change log.
public final class WatchHub: Sendable {
    /// A change event as watchers receive it: serialized once, sent to every watcher as is.
    struct Delivery: Sendable {
        var sequence: Int64
        /// A serialized `Tally_V1_WatchEvent`.
        var bytes: [UInt8]
        /// A change-log entry (delivered only after a watcher's starting sequence); false for a
        /// warning starting or ending, which every watcher receives.
        var isChange = true
        /// The campaign whose totals (or warning) the event carries: a watcher of another campaign
        /// gets a change without its totals and no warning (``WatchFeed``).
        var campaign = ""
    }

    /// One watcher's queue of events. Events arrive in chunks (all of one publish), so a watcher
    /// wakes once per commit, not once per change; ``events`` hands them out one by one.
    ///
    /// A watcher that can take events without waiting (an RPC stream below its connection's high
    /// watermark) registers a ``DirectSend`` once it is live: while nothing of its own is queued or
    /// in its task's hands, a chunk that fits its queue goes straight to its connection on the
    /// publisher's thread, without waking the watcher's task; what the connection cannot take, and
    /// every chunk after it until the watcher has caught up, goes through the queue as before. Order
    /// is kept: the queue's events are sent after what went straight, and the direct way is taken
    /// only when the queue is empty and the task holds no event. A chunk larger than the queue
    /// still cuts the watcher off, as without the direct way.
    final class Subscription: Sendable {
        /// Sends a chunk's events (in order) without suspending; returns how many it handled.
        typealias DirectSend = @Sendable ([Delivery]) -> Int

        let id: UInt64
        /// The watcher's events, in order.
        let events: Events
        private let continuation: AsyncStream<[Delivery]>.Continuation
        /// Events offered and not yet taken by the watcher, and whether it was cut off.
        private let backlog = Backlog()
        private let capacity: Int
        /// Only events after this sequence are delivered.
        let after: Int64

        init(id: UInt64, capacity: Int, after: Int64) {
            self.id = id
            self.after = after
            self.capacity = capacity
            let (stream, continuation) = AsyncStream.makeStream(of: [Delivery].self)
            self.continuation = continuation
            events = Events(chunks: stream, backlog: backlog)
        }

        /// True when the watcher fell behind by more than its capacity and was cut off.
        var overflowed: Bool { backlog.state.withLock { $0.overflowed } }

        /// True while the watcher's task holds an event it took (tests wait for it to let go).
        var isHolding: Bool { backlog.state.withLock { $0.holding } }

        /// From now on, chunks offered while nothing is queued go to `send` first.
        func sendDirectly(_ send: @escaping DirectSend) {
            backlog.state.withLock { $0.direct = send }
        }

        /// Queues a chunk of events (what the direct way did not take); returns false when it exceeds
        /// the watcher's capacity (what fits is queued, then the subscription is finished: the watcher
        /// resumes after the last event it got) or the subscription has ended.
        func offer(_ chunk: [Delivery]) -> Bool {
            let capacity = self.capacity
            // Under the lock: offers come one at a time (the hub's lock), and with nothing queued or
            // held by the watcher's task, nothing it sends can pass what goes straight.
            let (rest, taken): (ArraySlice<Delivery>, Int) = backlog.state.withLock { backlog in
                var rest = chunk[...]
                if backlog.queued == 0, !backlog.holding, !backlog.overflowed, chunk.count <= capacity,
                   let direct = backlog.direct {
                    rest = chunk[min(direct(chunk), chunk.count)...]
                }
                let room = max(capacity - backlog.queued, 0)
                if rest.count > room { backlog.overflowed = true }
                let taken = min(rest.count, room)
                backlog.queued += taken
                return (rest, taken)
            }
            var enqueued = true
            if taken > 0 {
                switch continuation.yield(Array(rest.prefix(taken))) {
                case .enqueued: enqueued = true
                case .dropped, .terminated: enqueued = false
                @unknown default: enqueued = false
                }
            }
            guard taken == rest.count else {
                continuation.finish()
                return false
            }
            return enqueued
        }

        func finish() { continuation.finish() }

        /// What a watcher has queued, shared by the hub's side and the watcher's side.
        final class Backlog: Sendable {
            struct State {
                /// Events queued and not yet taken by the watcher's task.
                var queued = 0
                /// True from the moment the task takes an event until it asks for the next one (a
                /// loop left early keeps it: only the direct way is lost, never the order).
                var holding = false
                var overflowed = false
                var direct: DirectSend?
            }

            let state = Mutex(State())

            /// The task took an event.
            func took() { state.withLock { $0.queued -= 1; $0.holding = true } }

            /// The task is done with the event it took.
            func released() { state.withLock { $0.holding = false } }
        }

        /// The events one by one; each chunk is taken from the stream with one suspension at most.
        /// One loop reads them (an AsyncStream has one consumer): a chunk's rest stays in its iterator.
        /// An event is held from the moment it is taken until the loop asks for the next one.
        struct Events: AsyncSequence, Sendable {
            let chunks: AsyncStream<[Delivery]>
            let backlog: Backlog

            func makeAsyncIterator() -> Iterator { Iterator(chunks: chunks.makeAsyncIterator(), backlog: backlog) }

            struct Iterator: AsyncIteratorProtocol {
                var chunks: AsyncStream<[Delivery]>.Iterator
                let backlog: Backlog
                var current: [Delivery] = []
                var index = 0
                /// True while the event last returned is not yet counted as handled.
                var holding = false

                mutating func next() async -> Delivery? {
                    if holding {
                        backlog.released()
                        holding = false
                    }
                    while index == current.count {
                        guard let chunk = await chunks.next() else { return nil }
                        current = chunk
                        index = 0
                    }
                    defer { index += 1 }
                    backlog.took()
                    holding = true
                    return current[index]
                }
            }
        }
    }

    /// The watchers and the ring of recent events, changed together under one lock so that a new
    /// watcher's starting point and the events it is then offered never overlap or leave a gap.
    struct State {
        var subscribers: [UInt64: Subscription] = [:]
        var nextID: UInt64 = 1
        var ring: [(sequence: Int64, event: Tally_V1_WatchEvent)] = []
        var ringStart = 0
        /// Changes received ahead of a gap, by sequence (see ``WatchHub/publish(_:)``).
        var pending: [Int64: ChangeRecord] = [:]
        /// The warnings standing at the last check, by key (nil before the first: see ``WatchHub/checkWarnings()``).
        var warnings: [String: Tally_V1_Warning]?

        /// Offers `deliveries` (in sequence order) to every watcher, as one chunk each: changes after
        /// the watcher's starting sequence, warnings to everyone.
        mutating func deliver(_ deliveries: [Delivery]) {
            guard let first = deliveries.first else { return }
            for subscription in subscribers.values {
                let wanted = { (delivery: Delivery) in !delivery.isChange || delivery.sequence > subscription.after }
                let chunk = wanted(first) ? deliveries : deliveries.filter(wanted)
                if !chunk.isEmpty && !subscription.offer(chunk) { subscribers[subscription.id] = nil }
            }
        }

        mutating func appendToRing(_ sequence: Int64, _ event: Tally_V1_WatchEvent, capacity: Int) {
            ring.append((sequence, event))
            if ring.count - ringStart > capacity {
                ringStart += 1
                if ringStart >= capacity {
                    ring.removeFirst(ringStart)
                    ringStart = 0
                }
            }
        }
    }

    let totals: LiveTotals
    let state = Mutex(State())
    /// The warnings checks owed and whether one runs (apart from `state`: a check runs outside its lock).
    let warningChecks = Mutex(WarningChecks())
    /// Where the checks owed by commits within a spacing run (``requestCommitWarningCheck(_:)``).
    let warningQueue = DispatchQueue(label: "tally.hub.warnings")
    /// Events kept for reconnecting watchers.
    let ringCapacity: Int
    /// Events one watcher may have queued before it is cut off.
    let watcherCapacity: Int

    init(totals: LiveTotals, ringCapacity: Int = 5_000, watcherCapacity: Int = 4_096) {
        self.totals = totals
        self.ringCapacity = ringCapacity
        self.watcherCapacity = watcherCapacity
    }

    /// Number of watchers connected to this server.
    public var watcherCount: Int { state.withLock { $0.subscribers.count } }

    /// Publishes a page of committed changes in order (see ``LiveTotals/apply(_:)``);
    /// throws after publishing the changes before the first that cannot be applied.
    ///
    /// Changes come from two places: this server's writer (right after its commit) and the change
    /// feed (which reads the log, for other servers' changes). Either may come first, so each
    /// sequence is published once, in order: one already published is dropped, one after a gap
    /// waits in `pending` until the feed has read the earlier sequences from the log.
    func publish(_ changes: [ChangeRecord]) throws {
        let totals = self.totals
        let ringCapacity = self.ringCapacity
        let (published, failure): ([ChangeRecord], (any Error)?) = state.withLock { state in
            let current = totals.sequence
            for change in changes where change.sequence > current { state.pending[change.sequence] = change }
            var run: [ChangeRecord] = []
            var next = current + 1
            while let change = state.pending.removeValue(forKey: next) {
                run.append(change)
                next += 1
            }
            guard !run.isEmpty else { return ([], nil) }
            let (events, error) = totals.apply(run)
            do {
                try Self.send(zip(run, events), to: &state, ringCapacity: ringCapacity)
            } catch {
                return (run, error)
            }
            if error != nil { state.pending.removeAll() }  // the feed reloads the state and reads the log again
            return (run, error)
        }
        // The warnings these changes can move, checked outside the lock, at most once per short
        // spacing for all commits meanwhile (``requestCommitWarningCheck(_:)``).
        if !published.isEmpty { requestCommitWarningCheck(WarningCheck(after: published)) }
        if let failure { throw failure }
    }

    /// Replaces the totals with `fresh` (reloaded from the database after a change could not be
    /// applied) and publishes `changes`, the log entries between the old state and `fresh`, with
    /// the reloaded totals, so watchers still see every sequence once and in order.
    func reload(_ fresh: PlanState, announcing changes: [ChangeRecord]) throws {
        let totals = self.totals
        let ringCapacity = self.ringCapacity
        try state.withLock { state in
            state.pending = state.pending.filter { $0.key > fresh.sequence }
            let events = totals.replace(with: fresh, announcing: changes)
            try Self.send(zip(changes, events), to: &state, ringCapacity: ringCapacity)
        }
        requestWarningCheck(.full)
    }

    private static func send(_ pairs: Zip2Sequence<[ChangeRecord], [Tally_V1_ChangeEvent]>, to state: inout State,
                             ringCapacity: Int) throws {
        var deliveries: [Delivery] = []
        for (change, changeEvent) in pairs {
            var event = Tally_V1_WatchEvent()
            event.change = changeEvent
            state.appendToRing(change.sequence, event, capacity: ringCapacity)
            deliveries.append(Delivery(sequence: change.sequence, bytes: try event.serializedBytes(),
                                       campaign: changeEvent.campaign))
        }
        state.deliver(deliveries)
    }

    /// What a new watcher starts with.
    struct Start: Sendable {
        var subscription: Subscription
        /// Events to send first: a snapshot, or the ring's events after the requested sequence.
        var initial: [Tally_V1_WatchEvent]
        /// Sequences the ring no longer holds and that must be read from the change log first.
        var fromLog: ClosedRange<Int64>?
        /// The campaign watched: the one named, else the default when the watch started.
        var campaign: String
    }

    /// Registers a watcher of a campaign (nil: the default now). `after == 0` starts with its
    /// snapshot; otherwise with what came after it (the caller checks that the campaign exists).
    func subscribe(after: Int64, campaign named: String? = nil) -> Start {
        let totals = self.totals
        let watcherCapacity = self.watcherCapacity
        return state.withLock { state in
            let plan = totals.snapshot
            let instant = totals.now()
            let campaign = named ?? CampaignChoice.defaultCampaign(in: plan, at: instant)
            let id = state.nextID
            state.nextID += 1
            let current = totals.sequence
            var initial: [Tally_V1_WatchEvent] = []
            var fromLog: ClosedRange<Int64>?
            if after <= 0 {
                var event = Tally_V1_WatchEvent()
                event.snapshot = totals.dashboard(of: campaign, state: plan, at: instant) ?? Tally_V1_Dashboard()
                initial.append(event)
            } else if after < current {
                let kept = state.ring[state.ringStart...]
                let oldestKept = kept.first?.sequence ?? current + 1
                if after + 1 < oldestKept {
                    fromLog = (after + 1)...(oldestKept - 1)
                }
                initial = kept.filter { $0.sequence > after }.map(\.event)
            }
            let subscription = Subscription(id: id, capacity: watcherCapacity, after: max(after, current))
            state.subscribers[id] = subscription
            return Start(subscription: subscription, initial: initial, fromLog: fromLog, campaign: campaign)
        }
    }

    /// Removes a watcher (its call ended).
    func unsubscribe(_ subscription: Subscription) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: subscription.id) }
        subscription.finish()
    }

    /// Ends every watcher's stream (server shutdown).
    func finishAll() {
        state.withLock { state in
            for subscription in state.subscribers.values { subscription.finish() }
            state.subscribers.removeAll()
        }
    }
}
