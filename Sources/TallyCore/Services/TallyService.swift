import TallyRPC
import TallyStore

/// What the services of a running server share, built once by ``TallyServer/start()``: the
/// in-memory totals, the watch hub, the database pool and the group-commit writer.
struct ServerParts: Sendable {
    let totals: LiveTotals
    let hub: WatchHub
    let pool: ConnectionPool
    let writer: Writer
}

/// A Tally service: registers its methods, each with who may call it, on the server's router, and
/// reaches the server's parts by name (`totals`, `writer`, …) through ``parts``.
protocol TallyService: Sendable {
    var parts: ServerParts { get }

    /// Registers every method of the service.
    func register(on router: Router)
}

extension TallyService {
    var totals: LiveTotals { parts.totals }
    var hub: WatchHub { parts.hub }
    var pool: ConnectionPool { parts.pool }
    var writer: Writer { parts.writer }

    /// The router step of a read that must see every write this server acknowledged (see ``ReadYourWrites``).
    var readYourWrites: [any ServerInterceptor] { [ReadYourWrites(totals: totals, writer: writer)] }
}
