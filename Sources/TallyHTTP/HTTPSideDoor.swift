import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import TallyCore
import TallyRPC

/// The operator's HTTP side door of a running Tally server, on Hummingbird: the live dashboard page,
/// `/login` and `/logout`, `/events` (server-sent events from the watch feed), `/export.csv|json|html`,
/// `/metrics` (Prometheus), `/healthz` and `/readyz`. The RPC listener stays the server's own.
public final class HTTPSideDoor: Sendable {
    private let configuration: HTTPSideDoorConfiguration
    private let view: @Sendable () -> OperatorView?
    private let logger: Logger
    private let sessions: WebSessions
    private let connections: SideDoorConnections
    private let tls = Mutex<SideDoorTLS?>(nil)
    private let running = Mutex<(group: ServiceGroup, task: Task<Void, Never>)?>(nil)

    /// A side door onto whatever `view` gives: the running server's view, or nil while it is down
    /// (pages then answer 503).
    public init(configuration: HTTPSideDoorConfiguration, logger: Logger, view: @escaping @Sendable () -> OperatorView?) {
        self.configuration = configuration
        self.view = view
        self.logger = logger
        sessions = WebSessions(lifetime: configuration.sessionLifetime)
        connections = SideDoorConnections(warnAbove: configuration.connectionWarningThreshold, logger: logger)
        OperatorMetrics.bootstrap()
    }

    /// Starts listening; returns the bound port. Throws when the address cannot be bound, when the
    /// TLS files cannot be used, or (``RPCSetupError``) for plaintext beyond loopback not allowed.
    public func start() async throws -> Int {
        let plaintextBeyondLoopback = try ListenerSecurity.check(
            host: configuration.host, port: configuration.port, usesTLS: configuration.tls != nil,
            allowsPlaintext: configuration.allowsPlaintextBeyondLoopback, listener: "web tokens and session cookies")
        if plaintextBeyondLoopback {
            logger.warning("serving the web dashboard over PLAINTEXT HTTP beyond loopback: tokens and session cookies cross the network unencrypted",
                           metadata: ["host": "\(configuration.host)"])
        }
        let secure = try configuration.tls.map(SideDoorTLS.init)
        tls.withLock { $0 = secure }
        let routes = SideDoorRoutes(configuration: configuration, view: view, sessions: sessions,
                                    connections: connections, logger: logger)
        let bound = PortPromise()
        let connections = self.connections
        let app = Application(
            router: routes.router(),
            server: HTTPServerBuilder { responder in
                SideDoorChannel(http: HTTP1Channel(responder: responder), tls: secure, connections: connections)
            },
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "tally"),
            onServerRunning: { channel in bound.fulfil(.success(channel.localAddress?.port ?? 0)) },
            logger: logger)
        // Our own service group: `tally serve` handles the signals and stops the side door itself.
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            do {
                try await group.run()
            } catch {
                bound.fulfil(.failure(error))
            }
            bound.fulfil(.failure(CancellationError()))
        }
        running.withLock { $0 = (group, task) }
        do {
            let port = try await bound.value()
            logger.info("http side door listening", metadata: [
                "address": "\(configuration.host):\(port)", "tls": "\(secure != nil)",
            ])
            return port
        } catch {
            task.cancel()
            throw error
        }
    }

    /// Reads the TLS certificate, key and client CA again (SIGHUP): new connections use them, open
    /// ones keep theirs; on failure the previous ones stay in use. Does nothing without TLS.
    public func reloadTLS() throws {
        try tls.withLock { $0 }?.reload()
    }

    /// Whether the side door serves HTTPS.
    public var usesTLS: Bool { configuration.tls != nil }

    /// HTTP connections open now (event streams included).
    public var connectionCount: Int { connections.count }

    /// Stops listening, ends every open event stream, and waits for requests in flight.
    public func shutdown() async {
        guard let current = running.withLock({ running -> (group: ServiceGroup, task: Task<Void, Never>)? in
            defer { running = nil }
            return running
        }) else { return }
        await current.group.triggerGracefulShutdown()
        await current.task.value
    }
}

/// The bound port, delivered once by whichever comes first: the server running, or failing.
private final class PortPromise: Sendable {
    private let state = Mutex<(result: Result<Int, any Error>?, waiter: CheckedContinuation<Int, any Error>?)>((nil, nil))

    func fulfil(_ result: Result<Int, any Error>) {
        let waiter: CheckedContinuation<Int, any Error>? = state.withLock { state in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    func value() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Int, any Error>? = state.withLock { state in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
