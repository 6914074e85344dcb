import Dispatch
import Logging
import TallyWire
#if canImport(Glibc)
import Glibc
#endif

/// One client connection: a non-blocking connect (trying each resolved address), then the actions of a
/// ``ClientConnectionStateMachine`` over a ``SocketChannel``, keepalive PINGs, and the calls it carries.
final class ClientConnection: SocketChannelDelegate, MachineOutputFlushing, @unchecked Sendable {
    // Every mutable property is confined to `queue` (the owning ClientCore's queue).
    let queue: DispatchQueue
    // Weak: a stream may outlive the RPCClient that started it; the connection then finishes its calls alone.
    weak var core: ClientCore?
    let configuration: ClientConfiguration
    private let logger: Logger
    private var machine: ClientConnectionStateMachine
    private var channel: SocketChannel?
    private var calls: [UInt32: ClientCall] = [:]
    private var addresses: [SocketAddress] = []
    private var lastConnectError = "connection refused"
    private var connectTimeoutItem: DispatchWorkItem?
    private var connected = false
    private(set) var handshakeCompleted = false
    private var ended = false
    var flushScheduled = false
    private var keepaliveTimer: DispatchSourceTimer?
    private var lastReceived = ContinuousClock.now
    private var pingSentAt: ContinuousClock.Instant?
    /// How often the keepalive timer fired, and how many PINGs it sent (see ``ClientCore/probeConnection()``).
    private(set) var keepaliveTicks = 0
    private(set) var pingsSent = 0
    /// Streams whose consumer is behind by more than the inbound high watermark: while any is, the
    /// socket is not read.
    private var streamsAboveWatermark: Set<UInt32> = []

    init(core: ClientCore, configuration: ClientConfiguration, logger: Logger) {
        self.core = core
        self.queue = core.queue
        self.configuration = configuration
        self.logger = logger
        self.machine = ClientConnectionStateMachine(
            limits: ConnectionLimits(maxFrameSize: configuration.maxFrameSize),
            peerName: configuration.peerName)
    }

    var canStartCalls: Bool { !ended && machine.canStartCalls }
    var target: String { "\(configuration.host):\(configuration.port)" }

    // MARK: - Connecting

    /// Starts connecting after `delay` (the reconnect backoff). Frames of calls started meanwhile are queued.
    func connect(after delay: Duration) {
        if delay > .zero {
            queue.asyncAfter(deadline: .now() + delay.dispatchInterval) { [self] in connectNow() }
        } else {
            // Later on the queue, never inside this call: a failure known at once (a name that does
            // not resolve) must reach the call being started now, which is not registered yet.
            queue.async { [self] in connectNow() }
        }
    }

    private func connectNow() {
        guard !ended else { return }
        do throws(RPCSetupError) {
            addresses = try SocketAddress.resolve(host: configuration.host, port: configuration.port, passive: false)
        } catch {
            connectFailed("cannot reach \(target): \(error.message)")
            return
        }
        tryNextAddress()
    }

    private func tryNextAddress() {
        guard !ended else { return }
        guard !addresses.isEmpty else {
            connectFailed("cannot reach \(target): \(lastConnectError)")
            return
        }
        let address = addresses.removeFirst()
        if configuration.tls == nil && configuration.plaintextToLoopbackOnly && !address.isLoopback {
            lastConnectError = "refusing to send the token in clear to \(address.description), which is not this host: "
                + "connect with TLS, or allow insecure plaintext explicitly"
            tryNextAddress()
            return
        }
        let tls: TLSSession?
        do {
            tls = try makeTLSSession()
        } catch {
            connectFailed("cannot reach \(target): \(error)")
            return
        }
        let attempt: (fd: Int32, connected: Bool)
        do throws(SystemError) {
            attempt = try SocketSetup.connect(to: address)
        } catch {
            lastConnectError = Self.reason(error)
            tryNextAddress()
            return
        }
        let channel = SocketChannel(fd: attempt.fd, queue: queue, tls: tls)
        self.channel = channel
        channel.delegate = self
        channel.start(connecting: !attempt.connected)
        if attempt.connected {
            channelDidConnect(channel, error: nil)
        } else {
            let item = DispatchWorkItem { [self] in
                guard self.channel === channel, !connected else { return }
                lastConnectError = "connect timed out after \(configuration.connectTimeout)"
                abandonAttempt(channel)
            }
            connectTimeoutItem = item
            queue.asyncAfter(deadline: .now() + configuration.connectTimeout.dispatchInterval, execute: item)
        }
    }

    private func abandonAttempt(_ channel: SocketChannel) {
        self.channel = nil
        channel.forceClose()
        tryNextAddress()
    }

    func channelDidConnect(_ channel: SocketChannel, error: SystemError?) {
        guard self.channel === channel else { return }
        connectTimeoutItem?.cancel()
        connectTimeoutItem = nil
        if let error {
            lastConnectError = Self.reason(error)
            abandonAttempt(channel)
            return
        }
        connected = true
        lastReceived = .now
        startKeepalive()
        logger.debug("connected", metadata: ["server": "\(target)"])
        flushNow()
    }

    private func connectFailed(_ message: String) {
        logger.debug("connect failed", metadata: ["error": "\(message)"])
        perform(machine.connectionLost(message))
    }

    /// "connection refused" from ECONNREFUSED's "Connection refused".
    private static func reason(_ error: SystemError) -> String {
        let text = strerror(error.errno).map { String(cString: $0) } ?? "errno \(error.errno)"
        return text.prefix(1).lowercased() + text.dropFirst()
    }

    // MARK: - Calls

    func start(_ call: ClientCall, header: Tally_Wire_V1_CallHeader, message: [UInt8]?, end: Bool) {
        switch machine.startCall(header: header, message: message, end: end) {
        case .success(let stream):
            call.stream = stream
            call.connection = self
            calls[stream] = call
            scheduleFlush()
        case .failure(let error):
            call.finish(.failure(error))
        }
    }

    func send(_ call: ClientCall, payload: [UInt8], end: Bool, continuation: CheckedContinuation<Void, Error>) {
        guard let stream = call.stream else {
            continuation.resume(throwing: RPCError(.cancelled, "call has ended"))
            return
        }
        if let error = machine.sendMessage(stream: stream, payload: payload, end: end) {
            continuation.resume(throwing: error)
            return
        }
        scheduleFlush()
        if (channel?.bufferedBytes ?? 0) + machine.output.count > configuration.outboundHighWatermark {
            call.sendWaiter = continuation
        } else {
            continuation.resume()
        }
    }

    /// Abandons a call: sends CANCEL if it is open.
    func cancel(_ call: ClientCall) {
        guard let stream = call.stream, calls.removeValue(forKey: stream) != nil else { return }
        relievePressure(stream)
        perform(machine.cancelCall(stream: stream))
    }

    /// A stream's response buffer went above its high watermark (`full`) or drained below its low one.
    func inboundPressure(on call: ClientCall, full: Bool) {
        guard let stream = call.stream else { return }
        if full {
            guard calls[stream] === call, streamsAboveWatermark.insert(stream).inserted else { return }
            if streamsAboveWatermark.count == 1 { channel?.setReading(false) }
        } else {
            relievePressure(stream)
        }
    }

    private func relievePressure(_ stream: UInt32) {
        guard streamsAboveWatermark.remove(stream) != nil, streamsAboveWatermark.isEmpty else { return }
        lastReceived = .now  // nothing was read while paused: keepalive starts afresh
        channel?.setReading(true)
    }

    /// The client is closing.
    func closeRequested() {
        perform(machine.closeRequested())
    }

    // MARK: - Socket events

    func channel(_ channel: SocketChannel, didRead bytes: UnsafeRawBufferPointer) {
        lastReceived = .now
        perform(machine.bytesReceived(bytes))
    }

    func channelInputEnded(_ channel: SocketChannel, error: (any Error)?) {
        perform(machine.connectionLost(lostMessage(error, establishedTLS: channel.tls?.isEstablished), cause: error))
    }

    func channelDidWrite(_ channel: SocketChannel) {
        resumeSendersIfDrained()
    }

    func channelDidClose(_ channel: SocketChannel) {}

    // MARK: - Actions

    private func perform(_ actions: [ClientConnectionStateMachine.Action]) {
        for action in actions {
            switch action {
            case .handshakeCompleted:
                handshakeCompleted = true
            case .deliverMessage(let stream, let payload):
                calls[stream]?.received(payload)
            case .finishCall(let stream, let status):
                relievePressure(stream)
                calls.removeValue(forKey: stream)?.finish(status)
            case .pingAcknowledged:
                pingSentAt = nil
            case .close:
                close()
            }
        }
        if !machine.output.isEmpty { scheduleFlush() }
    }

    private func close() {
        guard !ended else { return }
        ended = true
        keepaliveTimer?.cancel()
        keepaliveTimer = nil
        connectTimeoutItem?.cancel()
        for call in calls.values { call.finish(.failure(RPCError(.unavailable, "connection to \(target) closed"))) }
        calls.removeAll()
        if let channel {
            if connected {
                flushNow()
                channel.closeAfterFlush()
            } else {
                channel.forceClose()
            }
        }
        core?.connectionEnded(self)
    }

    // MARK: - Output

    var pendingOutput: [UInt8] {
        get { machine.output }
        set { machine.output = newValue }
    }

    func flushNow() {
        guard connected, let channel, !machine.output.isEmpty else { return }
        writePendingOutput(to: channel)
        resumeSendersIfDrained()
    }

    private func resumeSendersIfDrained() {
        guard (channel?.bufferedBytes ?? 0) <= configuration.outboundLowWatermark else { return }
        for call in calls.values {
            if let waiter = call.sendWaiter {
                call.sendWaiter = nil
                waiter.resume()
            }
        }
    }

    // MARK: - Keepalive

    private func startKeepalive() {
        let tick = max(min(configuration.keepaliveInterval, configuration.keepaliveTimeout) / 4, .milliseconds(5))
        keepaliveTimer = DispatchSource.repeatingTimer(every: tick, on: queue) { [self] in keepaliveTick() }
    }

    private func keepaliveTick() {
        keepaliveTicks += 1
        let now = ContinuousClock.now
        if let pingSentAt {
            if pingSentAt.duration(to: now) >= configuration.keepaliveTimeout {
                logger.debug("keepalive timeout", metadata: ["server": "\(target)"])
                perform(machine.connectionLost(
                    "connection to \(target) lost: no answer to keepalive PING within \(configuration.keepaliveTimeout)"))
            }
            return
        }
        // While reading is paused for a slow consumer, silence is ours, not the server's.
        guard streamsAboveWatermark.isEmpty, machine.openCallCount > 0,
              lastReceived.duration(to: now) >= configuration.keepaliveInterval else {
            return
        }
        pingSentAt = now
        pingsSent += 1
        machine.sendPing(payload: [0, 0, 0, 0, 0, 0, 0, 1])
        scheduleFlush()
    }
}
