import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import TallyCore

/// The operator's HTTP side door of a running Tally server, on Hummingbird: the live dashboard page,
/// `/login` and `/logout`, `/events` (server-sent events from the watch feed), `/export.csv|json|html`,
/// `/metrics` (Prometheus), `/healthz` and `/readyz`. The RPC listener stays the server's own.
public final class HTTPSideDoor: Sendable {
    private let configuration: HTTPSideDoorConfiguration
    private let view: @Sendable () -> OperatorView?
    private let logger: Logger
    private let running = Mutex<(group: ServiceGroup, task: Task<Void, Never>)?>(nil)

    /// A side door onto whatever `view` gives: the running server's view, or nil while it is down
    /// (pages then answer 503).
    public init(configuration: HTTPSideDoorConfiguration, logger: Logger, view: @escaping @Sendable () -> OperatorView?) {
        self.configuration = configuration
        self.view = view
        self.logger = logger
        OperatorMetrics.bootstrap()
    }

    /// Starts listening; returns the bound port (throws when the address cannot be bound).
    public func start() async throws -> Int {
        let routes = SideDoorRoutes(configuration: configuration, view: view, logger: logger)
        let bound = PortPromise()
        let app = Application(
            router: routes.router(),
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
            logger.info("http side door listening", metadata: ["address": "\(configuration.host):\(port)"])
            return port
        } catch {
            task.cancel()
            throw error
        }
    }

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
