import Dispatch
import Foundation

/// What the pool needs from a connection; `PostgresConnection` in production, fakes in tests.
protocol PoolableConnection: AnyObject, Sendable {
    /// False once the connection is known to be broken.
    var isHealthy: Bool { get }
    /// Checks, without sending anything, that an idle connection was not closed by the server.
    func isAliveWhileIdle() -> Bool
    /// Cleans up after a user (e.g. rolls back an open transaction); false = discard instead.
    func prepareForReuse() -> Bool
    /// Tells the connection which serial queue must run its calls (checked in debug builds).
    func attach(to queue: DispatchQueue)
    func close()
}

/// The pool's logic, generic over the connection so it can be tested with fakes.
///
/// A fixed number of slots, each with its own serial DispatchQueue and at most one connection,
/// opened lazily on first use and replaced after it breaks. Callers wait FIFO for a free slot,
/// at most `acquireTimeout`.
///
/// After a database outage, connections that sat idle through it are dead although libpq does not
/// know yet. So an idle connection is checked (``PoolableConnection/isAliveWhileIdle()``) before
/// each use and replaced when dead, before anything is sent; once a call loses its connection, every
/// idle connection is checked at once; and a call that allows it (``Retry/onceIfIdleConnectionDied``,
/// for reads) is run again once on a fresh connection when a reused one turns out dead mid-call.
final class PoolCore<Connection: PoolableConnection>: @unchecked Sendable {
    // @unchecked Sendable: `freeSlots`, `waiters`, `nextWaiterID` and `isClosed` are guarded by
    // `lock`; each slot's `connection` is only touched on that slot's serial `queue`.
    final class Slot: @unchecked Sendable {
        let index: Int
        let queue: DispatchQueue
        /// Guarded by `queue`.
        var connection: Connection?

        init(index: Int, label: String) {
            self.index = index
            self.queue = DispatchQueue(label: "\(label).connection-\(index)")
        }
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Slot, Error>
    }

    /// Whether a call may run again after its pooled connection died under it.
    enum Retry: Sendable {
        /// Never: the statement may have been sent and done (writes).
        case never
        /// Once, on a fresh connection, when a connection that had been idle in the pool broke
        /// during the call (reads, and anything else safe to run twice).
        case onceIfIdleConnectionDied
    }

    let size: Int
    let acquireTimeout: Duration
    private let connect: @Sendable () throws -> Connection
    private let lock = NSLock()
    private var freeSlots: [Slot]
    private var waiters: [Waiter] = []
    private var nextWaiterID: UInt64 = 0
    private var isClosed = false

    init(size: Int, acquireTimeout: Duration, label: String, connect: @escaping @Sendable () throws -> Connection) {
        self.size = max(1, size)
        self.acquireTimeout = acquireTimeout
        self.connect = connect
        self.freeSlots = (0..<max(1, size)).reversed().map { Slot(index: $0, label: label) }  // a stack: reuse the warm one
    }

    /// Runs `body` with a connection on that connection's queue. Errors: `.poolExhausted` after
    /// `acquireTimeout`, `.poolClosed`, the connect error, or `body`'s error. A connection that is
    /// broken afterwards is closed and replaced on next use.
    func withConnection<T: Sendable>(
        retry: Retry = .never, _ body: @escaping @Sendable (Connection) throws -> T
    ) async throws -> T {
        let slot = try await acquire()
        return try await withCheckedThrowingContinuation { continuation in
            slot.queue.async {
                let outcome = self.run(body, in: slot, retry: retry)
                self.release(slot)
                continuation.resume(with: outcome)
            }
        }
    }

    /// Slots lent out and callers waiting for one, right now.
    var usage: (inUse: Int, waiting: Int) {
        lock.withLock { (size - freeSlots.count, waiters.count) }
    }

    /// Fails all waiters with `.poolClosed` and closes idle connections; busy ones close when released.
    func close() {
        lock.lock()
        isClosed = true
        let idle = freeSlots
        let waiting = waiters
        waiters.removeAll()
        lock.unlock()
        for waiter in waiting { waiter.continuation.resume(throwing: Self.closedError) }
        for slot in idle { slot.queue.async { Self.discard(slot) } }
    }

    // MARK: - Slots

    private enum Admission {
        case slot(Slot)
        case closed
        case wait(UInt64)
    }

    /// Takes a free slot when nobody is waiting, else reserves a waiter id.
    private func admit() -> Admission {
        lock.withLock {
            if isClosed { return .closed }
            if waiters.isEmpty, !freeSlots.isEmpty { return .slot(freeSlots.removeLast()) }
            nextWaiterID += 1
            return .wait(nextWaiterID)
        }
    }

    private func acquire() async throws -> Slot {
        let id: UInt64
        switch admit() {
        case .slot(let slot): return slot
        case .closed: throw Self.closedError
        case .wait(let reserved): id = reserved
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Slot, Error>) in
                lock.lock()
                if Task.isCancelled {
                    lock.unlock()
                    continuation.resume(throwing: CancellationError())
                    return
                }
                if !isClosed, waiters.isEmpty, !freeSlots.isEmpty {  // freed meanwhile
                    let slot = freeSlots.removeLast()
                    lock.unlock()
                    continuation.resume(returning: slot)
                    return
                }
                if isClosed {
                    lock.unlock()
                    continuation.resume(throwing: Self.closedError)
                    return
                }
                waiters.append(Waiter(id: id, continuation: continuation))
                lock.unlock()
                DispatchQueue.global().asyncAfter(deadline: .now() + Self.seconds(acquireTimeout)) { [weak self] in
                    self?.removeWaiter(id, error: self?.exhaustedError)
                }
            }
        } onCancel: {
            self.removeWaiter(id, error: CancellationError())
        }
    }

    /// Removes waiter `id` if it is still waiting and fails it with `error`.
    private func removeWaiter(_ id: UInt64, error: Error?) {
        lock.lock()
        guard let position = waiters.firstIndex(where: { $0.id == id }) else {
            lock.unlock()
            return
        }
        let waiter = waiters.remove(at: position)
        lock.unlock()
        waiter.continuation.resume(throwing: error ?? CancellationError())
    }

    /// Hands `slot` to the longest waiter, or marks it free. Runs on the slot's queue.
    private func release(_ slot: Slot) {
        lock.lock()
        if isClosed {
            lock.unlock()
            Self.discard(slot)
            return
        }
        if waiters.isEmpty {
            freeSlots.append(slot)
            lock.unlock()
        } else {
            let waiter = waiters.removeFirst()
            lock.unlock()
            waiter.continuation.resume(returning: slot)
        }
    }

    /// Runs `body` on the slot's connection (checked first if it was idle, opened if there is none)
    /// and discards a broken connection; retries once as `retry` allows. Runs on the slot's queue.
    private func run<T>(_ body: (Connection) throws -> T, in slot: Slot, retry: Retry) -> Result<T, Error> {
        #if DEBUG
            dispatchPrecondition(condition: .onQueue(slot.queue))
        #endif
        var mayRetry = retry == .onceIfIdleConnectionDied
        while true {
            if let existing = slot.connection, !(existing.isHealthy && existing.isAliveWhileIdle()) {
                Self.discard(slot)
                checkIdleConnections()
            }
            let reused = slot.connection != nil
            let connection: Connection
            if let existing = slot.connection {
                connection = existing
            } else {
                do {
                    connection = try connect()
                } catch {
                    return .failure(error)
                }
                connection.attach(to: slot.queue)
                slot.connection = connection
            }
            let outcome = Result { try body(connection) }
            let lost = !connection.isHealthy || Self.isConnectionLoss(outcome)
            if !connection.prepareForReuse() { Self.discard(slot) }
            guard lost else { return outcome }
            Self.discard(slot)
            checkIdleConnections()
            // A connection that died while idle: the call met the outage's leftovers, not the outage.
            guard mayRetry, reused, case .failure = outcome else { return outcome }
            mayRetry = false
        }
    }

    private static func isConnectionLoss(_ outcome: Result<some Any, Error>) -> Bool {
        guard case .failure(let error) = outcome, let storeError = error as? StoreError else { return false }
        return storeError.kind == .connectionLost
    }

    /// Checks every idle connection on its own queue and drops the dead ones (after an outage they
    /// all died together, and each would otherwise fail its next caller).
    private func checkIdleConnections() {
        let idle = lock.withLock { isClosed ? [] : freeSlots }
        for slot in idle {
            slot.queue.async {
                if let connection = slot.connection, !(connection.isHealthy && connection.isAliveWhileIdle()) {
                    Self.discard(slot)
                }
            }
        }
    }

    private static func discard(_ slot: Slot) {
        slot.connection?.close()
        slot.connection = nil
    }

    private var exhaustedError: StoreError {
        StoreError(
            kind: .poolExhausted,
            "no database connection free within \(Self.format(acquireTimeout)) (pool size \(size))")
    }

    private static var closedError: StoreError { StoreError(kind: .poolClosed, "the connection pool is closed") }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func format(_ duration: Duration) -> String {
        let value = seconds(duration)
        if value == value.rounded() { return "\(Int(value)) s" }
        return "\((value * 1000).rounded() / 1000) s"
    }
}
