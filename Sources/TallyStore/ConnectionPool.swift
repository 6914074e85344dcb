import Dispatch

/// A fixed-size pool of `PostgresConnection`s for async code.
///
/// Each connection lives on its own serial DispatchQueue and every closure given to the pool
/// runs there, so blocking libpq calls never occupy the Swift cooperative pool. Connections open
/// lazily. An idle connection is checked before use and replaced if the server closed it (as after
/// a restart or failover), so nothing is sent on a dead one; one that breaks during a call is closed
/// and replaced, and the call fails with a retryable `.connectionLost`, except that `read` runs
/// the body once more on a fresh connection when the broken one had been idle in the pool. Waiters for a free
/// connection are served in FIFO order and give up after `acquireTimeout` with `.poolExhausted`.
public final class ConnectionPool: Sendable {
    private let core: PoolCore<PostgresConnection>

    /// Makes a pool of `size` connections to `configuration` (opened on first use).
    public init(configuration: PostgresConfiguration, size: Int, acquireTimeout: Duration = .seconds(5)) {
        core = PoolCore(size: size, acquireTimeout: acquireTimeout, label: "tally.store.pool") {
            try PostgresConnection(configuration: configuration)
        }
    }

    /// The number of connections.
    public var size: Int { core.size }

    /// Connections lent out and callers waiting for one, right now (for metrics).
    public var usage: (inUse: Int, waiting: Int) { core.usage }

    /// Runs `body` with a connection, on that connection's serial queue.
    @discardableResult
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await core.withConnection(body)
    }

    /// Like `withConnection`, for work that is safe to run twice (reads): when the connection was
    /// taken idle from the pool and breaks during `body`, `body` runs once more on a new connection.
    @discardableResult
    public func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await core.withConnection(retry: .onceIfIdleConnectionDied, body)
    }

    /// Runs `body` inside BEGIN … COMMIT on a pooled connection; rolls back if `body` throws.
    @discardableResult
    public func withTransaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await core.withConnection { connection in try connection.transaction(body) }
    }

    /// Closes the pool: waiters and later calls fail with `.poolClosed`; connections are closed
    /// (busy ones when their current call ends).
    public func close() {
        core.close()
    }
}

extension PostgresConnection: PoolableConnection {
    func attach(to queue: DispatchQueue) {
        owningQueue = queue
    }
}
