import Dispatch
import Synchronization

@testable import TallyStore

/// A connection of the pool tests, with no server: it counts, and its flags stand for what a real
/// connection meets (`broken`: lost while in use; `closedByServer`: closed while idle, which a check
/// sees; `diesOnNextUse`: closed so recently that a check still passes). The flags are set on the
/// pool slot's queue and read by the test, so a lock guards them.
final class FakePoolConnection: PoolableConnection, Sendable {
    let id: Int
    private let flags = Mutex((broken: false, closed: false, closedByServer: false, diesOnNextUse: false))

    init(id: Int) { self.id = id }

    var broken: Bool {
        get { flags.withLock { $0.broken } }
        set { flags.withLock { $0.broken = newValue } }
    }
    var closedByServer: Bool {
        get { flags.withLock { $0.closedByServer } }
        set { flags.withLock { $0.closedByServer = newValue } }
    }
    var diesOnNextUse: Bool {
        get { flags.withLock { $0.diesOnNextUse } }
        set { flags.withLock { $0.diesOnNextUse = newValue } }
    }
    var closed: Bool { flags.withLock { $0.closed } }

    var isHealthy: Bool { flags.withLock { !$0.broken && !$0.closed } }
    func isAliveWhileIdle() -> Bool { !closedByServer }
    func prepareForReuse() -> Bool { isHealthy }
    func attach(to queue: DispatchQueue) {}
    func close() { flags.withLock { $0.closed = true } }

    /// Stands in for running a statement: fails as a lost connection when the server closed it.
    func query() throws -> Int {
        try flags.withLock { flags in
            if flags.diesOnNextUse || flags.closedByServer {
                flags.closed = true
                throw StoreError(kind: .connectionLost, "server closed the connection unexpectedly")
            }
            return id
        }
    }
}
