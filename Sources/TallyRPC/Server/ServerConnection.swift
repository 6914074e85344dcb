import Dispatch
import Logging
import Synchronization
import TallyWire

/// One accepted connection: carries out the actions of its ``ServerConnectionStateMachine`` over a
/// ``SocketChannel`` and runs each call's handler as a Swift Task whose output hops back to `queue`.
final class ServerConnection: SocketChannelDelegate, MachineOutputFlushing, @unchecked Sendable {
    // Every mutable property is confined to `queue`; `bufferedCount` is an atomic snapshot for handlers;
    // `staged` is guarded by its own mutex.
    let queue: DispatchQueue
    let channel: SocketChannel
    let peer: String
    let logger: Logger
    private let router: Router
    private let configuration: ServerConfiguration
    private weak var server: ServerCore?
    private var machine: ServerConnectionStateMachine
    var calls: [UInt32: ServerCall] = [:]
    var flushScheduled = false
    private var readingPausedForOutput = false
    /// Request bytes queued for client-streaming handlers that have not taken them yet.
    private var unconsumedRequestBytes = 0
    private var readingPausedForInput = false
    private var idleSince: ContinuousClock.Instant?
    private var idleTimer: DispatchSourceTimer?
    private var handshakeItem: DispatchWorkItem?
    private let bufferedCount = Atomic<Int>(0)
    /// Deadlines of open calls, served by one timer per connection (see `ServerConnection+Deadlines.swift`).
    var deadlines: [UInt32: DispatchTime] = [:]
    var deadlineTimer: DispatchSourceTimer?
    var deadlineTimerFiresAt: DispatchTime?
    /// Messages staged by handlers below the high watermark, drained on `queue` (guarded by its mutex).
    let staged = Mutex(StagedSends())

    init(
        fd: Int32, tls: TLSSession?, peer: String, server: ServerCore, router: Router, configuration: ServerConfiguration,
        logger: Logger, connectionLimit: Int?
    ) {
        self.queue = IOQueues.makeQueue(label: "tally.rpc.server.connection")
        self.channel = SocketChannel(fd: fd, queue: queue, tls: tls)
        self.peer = peer
        self.server = server
        self.router = router
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "peer"] = .string(peer)
        self.logger = logger
        self.machine = ServerConnectionStateMachine(
            limits: configuration.limits, peerName: configuration.peerName, connectionLimit: connectionLimit)
    }

    /// Outbound bytes of this connection, readable from any thread.
    var bufferedBytesSnapshot: Int { bufferedCount.load(ordering: .relaxed) }

    /// Starts reading and the handshake and idle timers. Call on `queue`.
    func start() {
        channel.delegate = self
        channel.start(connecting: false)
        let handshake = DispatchWorkItem { [self] in perform(machine.handshakeTimerFired()) }
        handshakeItem = handshake
        queue.asyncAfter(deadline: .now() + configuration.handshakeTimeout.dispatchInterval, execute: handshake)
        startIdleTimer()
        logger.debug("connection accepted")
    }

    // MARK: - Socket events

    func channel(_ channel: SocketChannel, didRead bytes: UnsafeRawBufferPointer) {
        perform(machine.bytesReceived(bytes))
        if machine.state == .active || machine.state == .draining {
            handshakeItem?.cancel()
            handshakeItem = nil
        }
    }

    func channelInputEnded(_ channel: SocketChannel, error: (any Error)?) {
        if let error { logger.debug("connection failed", metadata: ["error": "\(error)"]) }
        perform(machine.peerClosed())
    }

    func channelDidWrite(_ channel: SocketChannel) {
        updateBackpressure()
    }

    func channelDidConnect(_ channel: SocketChannel, error: SystemError?) {}

    func channelDidClose(_ channel: SocketChannel) {
        idleTimer?.cancel()
        idleTimer = nil
        deadlineTimer?.cancel()
        deadlineTimer = nil
        deadlines.removeAll()
        handshakeItem?.cancel()
        handshakeItem = nil
        for call in calls.values { call.cancel() }
        calls.removeAll()
        logger.debug("connection closed")
        server?.connectionClosed(self)
    }

    // MARK: - Lifecycle requests from the server

    func shutdownRequested() {
        perform(machine.shutdownRequested())
    }

    func gracePeriodExpired() {
        perform(machine.gracePeriodExpired())
    }

    /// The deadline of the call on `stream` has passed. Call on `queue`.
    func deadlineExpired(stream: UInt32) {
        perform(machine.deadlineFired(stream: stream))
    }

    // MARK: - Actions

    func perform(_ actions: [ServerConnectionStateMachine.Action]) {
        for action in actions {
            switch action {
            case .startCall(let stream, let header):
                startCall(stream: stream, header: header)
            case .deliverMessage(let stream, let payload, let end):
                deliver(stream: stream, payload: payload, end: end)
            case .cancelCall(let stream, let reason):
                if let call = calls.removeValue(forKey: stream) {
                    forget(call)
                    disarmDeadline(stream: stream)
                    call.context.logger.debug("call cancelled", metadata: ["reason": "\(reason)"])
                    call.cancel()
                }
            case .close:
                flushNow()
                idleTimer?.cancel()
                idleTimer = nil
                channel.closeAfterFlush()
            }
        }
        if !machine.output.isEmpty { scheduleFlush() }
    }

    private func startCall(stream: UInt32, header: Tally_Wire_V1_CallHeader) {
        idleSince = nil
        guard let route = router.route(for: header.method) else {
            logger.debug("unknown method", metadata: ["stream": "\(stream)", "method": "\(header.method)"])
            perform(machine.finishCall(
                stream: stream, response: nil, code: .unimplemented, message: "unknown method \(StatusText.excerpt(header.method))"))
            return
        }
        var callLogger = logger
        // Both keys in one assignment: a handler may redo work per change (StreamLogHandler re-renders
        // all its metadata), and this runs on every call.
        callLogger.handler.metadata.merge(["stream": "\(stream)", "method": .string(header.method)]) { $1 }
        let deadline: ContinuousClock.Instant? =
            header.timeoutMs > 0 ? .now + .milliseconds(Int64(header.timeoutMs)) : nil
        var context = ServerContext(
            method: header.method, metadata: header.metadata, peer: peer, deadline: deadline, logger: callLogger)
        context.clientCertificateSHA256 = channel.tls?.peerCertificateSHA256
        let call = ServerCall(stream: stream, route: route, context: context)
        calls[stream] = call
        if header.timeoutMs > 0 {
            armDeadline(stream: stream, at: .now() + .milliseconds(Int(header.timeoutMs)))
        }
        if case .clientStreaming = route { spawn(call) }
    }

    private func deliver(stream: UInt32, payload: [UInt8], end: Bool) {
        guard let call = calls[stream] else { return }
        guard call.route.takesSingleRequest else {
            if let requests = call.requests {
                call.unconsumedRequestBytes += payload.count
                unconsumedRequestBytes += payload.count
                requests.yield(payload)
                if end { requests.finish() }
                updateInboundBackpressure()
            }
            return
        }
        call.requestCount += 1
        if call.requestCount > 1 {
            calls.removeValue(forKey: stream)
            call.cancel()
            perform(machine.finishCall(
                stream: stream, response: nil, code: .invalidArgument,
                message: "\(call.context.method) takes exactly one request message"))
            return
        }
        call.request = payload
        if end { spawn(call) }
    }

    private func spawn(_ call: ServerCall) {
        let stream = call.stream
        let context = call.context
        switch call.route {
        case .unary(let handler):
            let request = call.request ?? []
            call.request = nil
            call.task = Task { [self] in
                let result: Result<[UInt8]?, Error>
                do { result = .success(try await handler(request, context)) } catch { result = .failure(error) }
                queue.async { self.callFinished(stream: stream, result: result) }
            }
        case .serverStreaming(let handler):
            let request = call.request ?? []
            call.request = nil
            let sink = ResponseSink(connection: self, stream: stream)
            call.task = Task { [self] in
                let result: Result<[UInt8]?, Error>
                do {
                    try await handler(request, sink, context)
                    result = .success(nil)
                } catch {
                    result = .failure(error)
                }
                queue.async { self.callFinished(stream: stream, result: result) }
            }
        case .clientStreaming(let handler):
            let (rawStream, continuation) = AsyncThrowingStream<[UInt8], Error>.makeStream()
            call.requests = continuation
            let requests = RawRequests(stream: rawStream) { [self] count in
                queue.async { self.requestConsumed(stream: stream, bytes: count) }
            }
            call.task = Task { [self] in
                let result: Result<[UInt8]?, Error>
                do { result = .success(try await handler(requests, context)) } catch { result = .failure(error) }
                queue.async { self.callFinished(stream: stream, result: result) }
            }
        }
    }

    private func requestConsumed(stream: UInt32, bytes: Int) {
        guard let call = calls[stream] else { return }
        call.unconsumedRequestBytes -= bytes
        unconsumedRequestBytes -= bytes
        updateInboundBackpressure()
    }

    /// Stops reading while client-streaming handlers lag more than the high watermark behind.
    private func updateInboundBackpressure() {
        if unconsumedRequestBytes > configuration.outboundHighWatermark {
            readingPausedForInput = true
        } else if unconsumedRequestBytes <= configuration.outboundLowWatermark {
            readingPausedForInput = false
        }
        guard !machine.isClosed else { return }  // closing: the channel drains input on its own
        channel.setReading(!readingPausedForInput && !readingPausedForOutput)
    }

    private func forget(_ call: ServerCall) {
        unconsumedRequestBytes -= call.unconsumedRequestBytes
        call.unconsumedRequestBytes = 0
        if readingPausedForInput { updateInboundBackpressure() }
    }

    private func callFinished(stream: UInt32, result: Result<[UInt8]?, Error>) {
        guard let call = calls.removeValue(forKey: stream) else { return }  // already cancelled
        forget(call)
        disarmDeadline(stream: stream)
        call.requests?.finish()
        call.sendWaiter?.resume(throwing: RPCError(.cancelled, "call has ended"))
        call.sendWaiter = nil
        switch result {
        case .success(let response):
            let metadata = call.context.method == Router.healthCheckMethod ? (server?.healthCheckMetadata ?? [:]) : [:]
            perform(machine.finishCall(stream: stream, response: response, code: .ok, message: "", metadata: metadata))
        case .failure(let error as RPCError):
            if let cause = error.cause, !(cause is CancellationError) {
                call.context.logger.warning("call failed", metadata: ["status": "\(error.code.name)", "cause": "\(String(reflecting: cause))"])
            }
            perform(machine.finishCall(
                stream: stream, response: nil, code: error.code, message: error.message, metadata: error.metadata))
        case .failure(is CancellationError):
            perform(machine.finishCall(stream: stream, response: nil, code: .cancelled, message: "call cancelled"))
        case .failure(let error):
            call.context.logger.error("handler failed", metadata: ["error": "\(String(reflecting: error))"])
            perform(machine.finishCall(stream: stream, response: nil, code: .internalError, message: "internal error"))
        }
    }

    // MARK: - Handler output

    /// A response message from a streaming handler; suspends above the high watermark.
    /// Below the high watermark the message is staged and this returns without suspending (see
    /// `ServerConnection+StagedSend.swift`); above it, it waits for the low watermark.
    func send(stream: UInt32, payload: [UInt8]) async throws {
        if try stageIfRoom(stream: stream, payload: payload) { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            queue.async { self.enqueueSend(stream: stream, payload: payload, continuation: continuation) }
        }
    }

    /// Hands one message to the state machine. Without a continuation (a staged send) a failure is
    /// kept for the handler's next send. Call on `queue`.
    func enqueueSend(stream: UInt32, payload: [UInt8], continuation: CheckedContinuation<Void, Error>?) {
        guard let call = calls[stream] else {
            fail(continuation, stream, RPCError(.cancelled, "call has ended"))
            return
        }
        switch machine.sendMessage(stream: stream, payload: payload) {
        case .sent:
            scheduleFlush()
            guard let continuation else { return }
            if channel.bufferedBytes + machine.output.count > configuration.outboundHighWatermark {
                call.sendWaiter = continuation
            } else {
                continuation.resume()
            }
        case .callNotOpen:
            fail(continuation, stream, RPCError(.cancelled, "call has ended"))
        case .tooLarge(let actions):
            perform(actions)
            fail(continuation, stream, RPCError(.resourceExhausted, "response message too large for the client"))
        }
    }

    private func fail(_ continuation: CheckedContinuation<Void, Error>?, _ stream: UInt32, _ error: RPCError) {
        if let continuation {
            continuation.resume(throwing: error)
        } else {
            recordStagedFailure(stream: stream, error)
        }
    }

    /// The configured outbound high watermark (immutable; readable from any thread).
    var outboundHighWatermark: Int { configuration.outboundHighWatermark }

    // MARK: - Output

    var pendingOutput: [UInt8] {
        get { machine.output }
        set { machine.output = newValue }
    }

    func flushNow() {
        guard !machine.output.isEmpty else { return }
        writePendingOutput(to: channel)
        updateBackpressure()
    }

    private func updateBackpressure() {
        let buffered = channel.bufferedBytes
        bufferedCount.store(buffered, ordering: .relaxed)
        if buffered > configuration.outboundHighWatermark {
            if !readingPausedForOutput {
                readingPausedForOutput = true
                channel.setReading(false)
            }
        } else if buffered <= configuration.outboundLowWatermark {
            if readingPausedForOutput {
                readingPausedForOutput = false
                channel.setReading(!readingPausedForInput)
            }
            for call in calls.values {
                if let waiter = call.sendWaiter {
                    call.sendWaiter = nil
                    waiter.resume()
                }
            }
        }
    }

    // MARK: - Idle timer

    private func startIdleTimer() {
        let interval = max(configuration.idleTimeout / 10, .milliseconds(10))
        idleTimer = DispatchSource.repeatingTimer(every: interval, on: queue) { [self] in idleTick() }
    }

    private func idleTick() {
        guard machine.openCallCount == 0, machine.state == .active else {
            idleSince = nil
            return
        }
        let now = ContinuousClock.now
        guard let since = idleSince else {
            idleSince = now
            return
        }
        if since.duration(to: now) >= configuration.idleTimeout {
            logger.debug("idle timeout")
            perform(machine.idleTimerFired())
        }
    }
}
