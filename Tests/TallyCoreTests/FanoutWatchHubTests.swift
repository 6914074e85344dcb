import Foundation
import XCTest
@testable import TallyCore

/// The WatchHub on its own, over in-memory totals of the 2023 plan: what a new watcher starts with,
/// the ring of recent events, a slow watcher cut off, and the end of every stream.
final class FanoutWatchHubTests: XCTestCase {
    static let target = "yinzhu/industry/fixed-asset-investment"

    private func makeHub(ring: Int = 5_000, watcherCapacity: Int = 4_096) -> (WatchHub, LiveTotals) {
        let totals = LiveTotals(state: PlanState(plan: .default2023), builder: DashboardBuilder(tolerance: 10), pinnedNow: nil)
        return (WatchHub(totals: totals, ringCapacity: ring, watcherCapacity: watcherCapacity), totals)
    }

    /// Changes `first...last` of the target, each setting its figure to the sequence number.
    private func changes(_ totals: LiveTotals, _ sequences: ClosedRange<Int64>) throws -> [ChangeRecord] {
        var state = totals.snapshot
        let date = try XCTUnwrap(CampaignCalendar().date(year: 2023, month: 5, day: 1))
        return try sequences.map { sequence in
            let change = try targetChange(state, sequence: sequence, id: Self.target, current: "\(sequence)",
                                          department: "yinzhu", at: date)
            try state.apply(change)
            return change
        }
    }

    /// The next `count` sequences the subscription has queued (they are queued when publish returns).
    private func next(_ count: Int, of subscription: WatchHub.Subscription) async -> [Int64] {
        var sequences: [Int64] = []
        for await delivery in subscription.events {
            sequences.append(delivery.sequence)
            if sequences.count == count { break }
        }
        return sequences
    }

    func testANewWatcherGetsASnapshotThenEveryChangeInOrder() async throws {
        let (hub, totals) = makeHub()
        let start = hub.subscribe(after: 0)
        XCTAssertEqual(start.initial.count, 1)
        XCTAssertEqual(start.initial.first?.snapshot.sequence, 0)
        XCTAssertNil(start.fromLog)
        XCTAssertEqual(hub.watcherCount, 1)
        try hub.publish(try changes(totals, 1...3))
        let received = await next(3, of: start.subscription)
        XCTAssertEqual(received, [1, 2, 3])
        XCTAssertEqual(totals.sequence, 3)
        hub.unsubscribe(start.subscription)
        XCTAssertEqual(hub.watcherCount, 0)
    }

    func testAResumingWatcherIsServedFromTheRingAndTheLogForWhatTheRingLost() throws {
        let (hub, totals) = makeHub(ring: 3)
        try hub.publish(try changes(totals, 1...5))   // the ring keeps 3, 4, 5
        let fromOne = hub.subscribe(after: 1)
        XCTAssertEqual(fromOne.fromLog, 2...2)
        XCTAssertEqual(fromOne.initial.map(\.change.change.sequence), [3, 4, 5])
        let fromThree = hub.subscribe(after: 3)
        XCTAssertNil(fromThree.fromLog)
        XCTAssertEqual(fromThree.initial.map(\.change.change.sequence), [4, 5])
        let upToDate = hub.subscribe(after: 5)
        XCTAssertTrue(upToDate.initial.isEmpty)
        XCTAssertNil(upToDate.fromLog)
        hub.finishAll()
        XCTAssertEqual(hub.watcherCount, 0)
    }

    func testAWatcherThatFallsBehindIsCutOffAndTheOthersKeepReceiving() async throws {
        let (hub, totals) = makeHub(watcherCapacity: 2)
        let slow = hub.subscribe(after: 0).subscription
        let fast = hub.subscribe(after: 0).subscription
        let page = try changes(totals, 1...4)
        try hub.publish(Array(page[0..<2]))
        let fastFirst = await next(2, of: fast)
        XCTAssertEqual(fastFirst, [1, 2])
        try hub.publish(Array(page[2..<4]))   // the slow one already holds 2: the third overflows it
        XCTAssertTrue(slow.overflowed)
        XCTAssertFalse(fast.overflowed)
        XCTAssertEqual(hub.watcherCount, 1)
        var slowReceived: [Int64] = []
        for await delivery in slow.events { slowReceived.append(delivery.sequence) }   // ends: it was finished
        XCTAssertEqual(slowReceived, [1, 2])
        let fastRest = await next(2, of: fast)
        XCTAssertEqual(fastRest, [3, 4])
        hub.finishAll()
        var afterFinish = 0
        for await _ in fast.events { afterFinish += 1 }
        XCTAssertEqual(afterFinish, 0)
    }

    /// A commit's events reach a watcher as one chunk; a chunk larger than the room left in its queue
    /// queues what fits, then cuts the watcher off, so it resumes after the last event it got.
    func testAChunkLargerThanTheRoomLeftQueuesWhatFitsThenCutsOff() async throws {
        let (hub, totals) = makeHub(watcherCapacity: 3)
        let watcher = hub.subscribe(after: 0).subscription
        try hub.publish(try changes(totals, 1...5))
        XCTAssertTrue(watcher.overflowed)
        XCTAssertEqual(hub.watcherCount, 0)
        var received: [Int64] = []
        for await delivery in watcher.events { received.append(delivery.sequence) }
        XCTAssertEqual(received, [1, 2, 3])
    }

    /// The hub takes changes from two sources (this server's writer and the change feed): a change
    /// after a gap waits for the earlier ones, and a change published twice is published once.
    func testAChangeAfterAGapWaitsForTheEarlierOnesAndDuplicatesAreDropped() async throws {
        let (hub, totals) = makeHub()
        let watcher = hub.subscribe(after: 0).subscription
        let page = try changes(totals, 1...3)
        try hub.publish([page[2]])           // the writer's change, ahead of a gap
        XCTAssertEqual(totals.sequence, 0, "a change after a gap waits")
        try hub.publish([page[0], page[1]])  // the feed reads the earlier ones from the log
        XCTAssertEqual(totals.sequence, 3)
        try hub.publish([page[1], page[2]])  // and the same ones again: dropped
        XCTAssertEqual(totals.sequence, 3)
        hub.finishAll()
        var received: [Int64] = []
        for await delivery in watcher.events { received.append(delivery.sequence) }
        XCTAssertEqual(received, [1, 2, 3])
    }

    func testAReaderWaitingForASequenceIsWokenByTheApply() async throws {
        let (_, totals) = makeHub()
        let page = try changes(totals, 1...1)
        let started = ContinuousClock.now
        let waiting = Task { await totals.waitUntilIncludes(1, timeout: .seconds(30)) }
        while totals.waitingReaders == 0 { await Task.yield() }  // the reader is registered
        _ = totals.apply(page)
        await waiting.value
        XCTAssertEqual(totals.sequence, 1)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(30), "woken by the apply, not by the timeout")
    }

    /// The direct way: while the watcher's task holds nothing, a commit's events go straight to its
    /// sender; what the sender does not take, and every chunk after it until the task has caught up,
    /// goes through the queue, so the watcher still gets every event once and in order.
    func testEventsGoStraightWhileTheQueueIsEmptyAndTheRestQueuesInOrder() async throws {
        let (hub, totals) = makeHub(watcherCapacity: 8)
        let watcher = hub.subscribe(after: 0).subscription
        let sent = DirectLog(accepting: 100)
        watcher.sendDirectly { chunk in sent.take(chunk) }
        let page = try changes(totals, 1...9)
        try hub.publish(Array(page[0..<2]))
        XCTAssertEqual(sent.sequences, [1, 2], "straight to the sender")
        sent.accepting = 1
        try hub.publish(Array(page[2..<4]))  // the sender takes 3; 4 queues
        try hub.publish(Array(page[4..<5]))  // something is queued: 5 queues behind it
        XCTAssertEqual(sent.sequences, [1, 2, 3])
        var iterator = watcher.events.makeAsyncIterator()
        let queued = [await iterator.next()?.sequence, await iterator.next()?.sequence]
        XCTAssertEqual(queued, [4, 5])
        sent.accepting = 100
        try hub.publish(Array(page[5..<6]))  // the task still holds 5: 6 queues
        let sixth = await iterator.next()?.sequence
        XCTAssertEqual(sixth, 6)
        // The task asks for the next event (it is done with 6) and waits: the queue is empty again.
        let waiting = Task { [iterator] in
            var iterator = iterator
            return await iterator.next()?.sequence
        }
        while watcher.isHolding { await Task.yield() }
        try hub.publish(Array(page[6..<8]))
        XCTAssertEqual(sent.sequences, [1, 2, 3, 7, 8], "straight again once the task caught up")
        XCTAssertFalse(watcher.overflowed)
        // A chunk larger than the queue still cuts the watcher off, as without the direct way.
        let big = try changes(totals, 9...18)
        try hub.publish(big)
        XCTAssertTrue(watcher.overflowed)
        XCTAssertEqual(sent.sequences, [1, 2, 3, 7, 8])
        let ninth = await waiting.value
        XCTAssertEqual(ninth, 9, "what fits is queued, then the stream ends")
    }
}

/// A direct sender for the hub tests: takes up to `accepting` events per chunk and records them.
private final class DirectLog: @unchecked Sendable {
    private let lock = NSLock()
    private var taken: [Int64] = []
    private var limit: Int

    init(accepting limit: Int) { self.limit = limit }

    var accepting: Int {
        get { lock.withLock { limit } }
        set { lock.withLock { limit = newValue } }
    }

    var sequences: [Int64] { lock.withLock { taken } }

    func take(_ chunk: [WatchHub.Delivery]) -> Int {
        lock.withLock {
            let count = min(chunk.count, limit)
            taken += chunk.prefix(count).map(\.sequence)
            return count
        }
    }
}
