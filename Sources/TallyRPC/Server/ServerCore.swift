import Dispatch
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The server's shared state: listeners, the set of live connections, shutdown progress.
final class ServerCore: @unchecked Sendable {
    // Every mutable property is confined to `queue`; `liveConnections` is an atomic mirror for readers.
    let queue = DispatchQueue(label: "tally.rpc.server")
    let configuration: ServerConfiguration
    let router: Router
    let logger: Logger
    private var listeners: [(fd: Int32, source: DispatchSourceRead)] = []
    /// Listeners suspended after EMFILE; a suspended source must be resumed for its cancel handler to run.
    private var pausedListeners: Set<Int32> = []
    /// Listening descriptors not yet closed; shutdown returns only once the port is really released.
    private var openListeners = 0
    private var connections: [ObjectIdentifier: ServerConnection] = [:]
    private var shuttingDown = false
    private var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    let liveConnections = Atomic<Int>(0)
    /// Warns when `liveConnections` passes the configured threshold.
    let countWarning: ConnectionCountWarning
    /// The TLS context new connections use; replaced by ``reloadTLS()`` (live sessions keep theirs).
    let tlsContext = Mutex<TLSContext?>(nil)
    /// Status metadata of every successful Health/Check (set once by `start`, before any connection
    /// is accepted; read-only afterwards).
    var healthCheckMetadata: [String: String] = [:]

    init(configuration: ServerConfiguration, router: Router, logger: Logger) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        countWarning = ConnectionCountWarning(
            listener: "rpc", threshold: configuration.effectiveConnectionWarningThreshold, logger: logger)
    }

    /// Binds every address of the configured host, listens, and starts accepting. Returns the port.
    func start() throws(RPCSetupError) -> Int {
        Syscall.ignoreSIGPIPE
        let addresses = try SocketAddress.resolve(
            host: configuration.host, port: configuration.port, passive: true)
        guard !addresses.isEmpty else { throw RPCSetupError("no address for \(configuration.host)") }
        try checkTransportSecurity(addresses)
        if let tls = configuration.tls { try reloadTLS(tls) }
        var fds: [Int32] = []
        var port = configuration.port
        do throws(SystemError) {
            for var address in addresses {
                if port != address.port { address = address.withPort(port) }
                let fd = try SocketSetup.listen(on: address, v6Only: addresses.count > 1)
                if port == 0 { port = SocketAddress.of(socket: fd, peer: false)?.port ?? 0 }
                fds.append(fd)
            }
        } catch {
            for fd in fds { Syscall.close(fd) }
            throw RPCSetupError("cannot listen on \(configuration.host):\(configuration.port): \(error)")
        }
        queue.sync {
            for fd in fds { startAccepting(fd) }
        }
        logger.info("listening", metadata: ["host": "\(configuration.host)", "port": "\(port)"])
        return port
    }

    private func startAccepting(_ fd: Int32) {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [self] in acceptAll(fd, source: source) }
        source.setCancelHandler { [self] in
            Syscall.close(fd)
            openListeners -= 1
            resumeShutdownWaitersIfDone()
        }
        openListeners += 1
        listeners.append((fd, source))
        source.resume()
    }

    private func acceptAll(_ listener: Int32, source: DispatchSourceRead) {
        for _ in 0..<64 {
            let client: Int32
            do throws(SystemError) {
                guard case .processed(let fd) = try Syscall.accept(listener) else { return }
                client = fd
            } catch {
                logger.warning("accept failed", metadata: ["error": "\(error)"])
                if error.errno == EMFILE || error.errno == ENFILE || error.errno == ENOMEM {
                    // Out of descriptors: pause accepting briefly instead of spinning.
                    source.suspend()
                    pausedListeners.insert(listener)
                    queue.asyncAfter(deadline: .now() + .milliseconds(100)) { [self] in resumeAccepting(listener) }
                }
                return
            }
            guard !shuttingDown else {
                Syscall.close(client)
                continue
            }
            try? Syscall.setOption(client, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            let peer = SocketAddress.of(socket: client, peer: true)?.description ?? "?"
            var tls: TLSSession?
            do throws(TLSError) {
                if let context = tlsContext.withLock({ $0 }) { tls = try TLSSession(context: context, serverName: nil) }
            } catch {
                logger.warning("cannot start TLS", metadata: ["peer": "\(peer)", "error": "\(error)"])
                Syscall.close(client)
                continue
            }
            let overLimit = connections.count >= configuration.maxConnections
            let connection = ServerConnection(
                fd: client, tls: tls, peer: peer, server: self, router: router, configuration: configuration,
                logger: logger, connectionLimit: overLimit ? configuration.maxConnections : nil)
            connections[ObjectIdentifier(connection)] = connection
            liveConnections.store(connections.count, ordering: .relaxed)
            countWarning.observe(connections.count)
            if overLimit { logger.warning("connection limit reached", metadata: ["peer": "\(peer)"]) }
            connection.queue.async { connection.start() }
        }
    }

    private func resumeAccepting(_ fd: Int32) {
        guard pausedListeners.remove(fd) != nil else { return }
        listeners.first { $0.fd == fd }?.source.resume()
    }

    /// Called by a connection once its descriptor is closed.
    func connectionClosed(_ connection: ServerConnection) {
        queue.async { [self] in
            connections.removeValue(forKey: ObjectIdentifier(connection))
            liveConnections.store(connections.count, ordering: .relaxed)
            countWarning.observe(connections.count)
            resumeShutdownWaitersIfDone()
        }
    }

    /// Graceful shutdown: stop accepting, GOAWAY everyone, let calls finish within the grace period.
    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { [self] in
                shutdownWaiters.append(continuation)
                beginShutdown()
                resumeShutdownWaitersIfDone()
            }
        }
    }

    private func beginShutdown() {
        guard !shuttingDown else { return }
        shuttingDown = true
        logger.info("shutting down", metadata: ["connections": "\(connections.count)"])
        for listener in listeners {
            listener.source.cancel()
            if pausedListeners.remove(listener.fd) != nil { listener.source.resume() }
        }
        listeners.removeAll()
        let live = Array(connections.values)
        for connection in live {
            connection.queue.async { connection.shutdownRequested() }
        }
        queue.asyncAfter(deadline: .now() + configuration.shutdownGracePeriod.dispatchInterval) { [self] in
            for connection in connections.values {
                connection.queue.async { connection.gracePeriodExpired() }
            }
        }
    }

    private func resumeShutdownWaitersIfDone() {
        guard shuttingDown, connections.isEmpty, openListeners == 0 else { return }
        let waiters = shutdownWaiters
        shutdownWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }
}
