import HummingbirdCore
import Logging
import NIOCore
import NIOSSL
import Synchronization
import TallyRPC

/// Each HTTP connection of the side door: TLS first when configured (the context current at
/// accept, so a reload reaches new connections only), then Hummingbird's HTTP/1.1 channel. Counts
/// open connections for `/metrics` and the warning log.
struct SideDoorChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http: HTTP1Channel
    let tls: SideDoorTLS?
    let connections: SideDoorConnections

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        connections.opened()
        channel.closeFuture.whenComplete { _ in connections.closed() }
        guard let tls else { return http.setup(channel: channel, logger: logger) }
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.current))
        }.flatMap {
            http.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http.handle(value: value, logger: logger)
    }
}

/// Open HTTP connections (event streams included), with a warning when they pass a threshold.
final class SideDoorConnections: Sendable {
    private let open = Atomic<Int>(0)
    private let warning: ConnectionCountWarning

    init(warnAbove threshold: Int, logger: Logger) {
        warning = ConnectionCountWarning(listener: "http", threshold: threshold, logger: logger)
    }

    var count: Int { open.load(ordering: .relaxed) }

    func opened() { warning.observe(open.wrappingAdd(1, ordering: .relaxed).newValue) }
    func closed() { warning.observe(open.wrappingSubtract(1, ordering: .relaxed).newValue) }
}
