import Dispatch
import Foundation
import Synchronization
import TallyTestSupport
import XCTest

@testable import TallyStore

private final class Counter: Sendable {
    private let state = Mutex((value: 0, log: [Int]()))
    func next() -> Int { state.withLock { $0.value += 1; return $0.value } }
    func append(_ item: Int) { state.withLock { $0.log.append(item) } }
    var items: [Int] { state.withLock { $0.log } }
}

final class PoolCoreTests: XCTestCase {
    private func makePool(size: Int, timeout: Duration = .seconds(5), counter: Counter) -> PoolCore<FakePoolConnection> {
        PoolCore(size: size, acquireTimeout: timeout, label: "test") { FakePoolConnection(id: counter.next()) }
    }

    func testConnectionsAreReusedAndOpenedLazily() async throws {
        let counter = Counter()
        let pool = makePool(size: 3, counter: counter)
        for _ in 0..<5 { _ = try await pool.withConnection { $0.id } }
        XCTAssertEqual(counter.next(), 2, "only one connection should have been opened")
    }

    func testBrokenConnectionIsReplaced() async throws {
        let counter = Counter()
        let pool = makePool(size: 1, counter: counter)
        let first = try await pool.withConnection { connection in
            connection.broken = true
            return connection.id
        }
        let second = try await pool.withConnection { $0.id }
        XCTAssertEqual(first, 1)
        XCTAssertEqual(second, 2)
    }

    func testWaitersAreServedInFIFOOrder() async throws {
        let counter = Counter()
        let order = Counter()
        let pool = makePool(size: 1, counter: counter)
        let gate = DispatchSemaphore(value: 0)
        let holding = expectation(description: "holding")
        let holder = Task { try await pool.withConnection { _ in holding.fulfill(); gate.wait(); return 0 } }
        await fulfillment(of: [holding], timeout: 5)
        var waiters: [Task<Int, Error>] = []
        for index in 1...5 {
            waiters.append(Task { try await pool.withConnection { _ in order.append(index); return index } })
            await waitUntil { pool.usage.waiting == index }  // each waiter enqueued in turn
        }
        gate.signal()
        _ = try await holder.value
        for waiter in waiters { _ = try await waiter.value }
        XCTAssertEqual(order.items, [1, 2, 3, 4, 5])
    }

    func testTimeoutMessageNamesLimitAndSize() async throws {
        let pool = makePool(size: 1, timeout: .milliseconds(100), counter: Counter())
        let gate = DispatchSemaphore(value: 0)
        let holding = expectation(description: "holding")
        let holder = Task { try await pool.withConnection { _ in holding.fulfill(); gate.wait(); return 0 } }
        await fulfillment(of: [holding], timeout: 5)
        do {
            _ = try await pool.withConnection { _ in 1 }
            XCTFail("should time out")
        } catch let error as StoreError {
            XCTAssertEqual(error.kind, .poolExhausted)
            XCTAssertEqual(error.message, "no database connection free within 0.1 s (pool size 1)")
        }
        gate.signal()
        _ = try await holder.value
    }

    func testCancelledWaiterLeavesTheQueue() async throws {
        let pool = makePool(size: 1, counter: Counter())
        let gate = DispatchSemaphore(value: 0)
        let holding = expectation(description: "holding")
        let holder = Task { try await pool.withConnection { _ in holding.fulfill(); gate.wait(); return 0 } }
        await fulfillment(of: [holding], timeout: 5)
        let waiter = Task { try await pool.withConnection { _ in 1 } }
        await waitUntil { pool.usage.waiting == 1 }
        waiter.cancel()
        do {
            _ = try await waiter.value
            XCTFail("cancelled waiter got a connection")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        gate.signal()
        _ = try await holder.value
        let next = try await pool.withConnection { _ in 7 }
        XCTAssertEqual(next, 7)
    }

    func testCloseFailsWaitersAndClosesConnections() async throws {
        let pool = makePool(size: 1, counter: Counter())
        let connection = try await pool.withConnection { $0 }
        pool.close()
        do {
            _ = try await pool.withConnection { _ in 1 }
            XCTFail("closed pool ran work")
        } catch let error as StoreError {
            XCTAssertEqual(error.kind, .poolClosed)
        }
        await waitUntil { connection.closed }  // idle connections close on their slot's queue
    }
}
