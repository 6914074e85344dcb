import Dispatch
import Logging
import TallyWire

/// The client's shared state: the current connection, reconnect backoff, and call start/cancel logic.
final class ClientCore: @unchecked Sendable {
    // Every mutable property is confined to `queue`, shared with the client's connections.
    let queue: DispatchQueue
    let configuration: ClientConfiguration
    let logger: Logger
    private var connection: ClientConnection?
    private var consecutiveFailures = 0
    private var closed = false
    /// The TLS context of every connection, made on the first connect (confined to `queue`).
    private var tlsContext: Result<TLSContext, RPCSetupError>?

    init(configuration: ClientConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.queue = IOQueues.makeQueue(label: "tally.rpc.client")
        Syscall.ignoreSIGPIPE
    }

    /// Starts a call on the current connection, opening one (after the backoff delay) if needed.
    func start(
        _ call: ClientCall, header: Tally_Wire_V1_CallHeader, message: [UInt8]?, end: Bool, timeout: Duration?
    ) {
        guard !call.isFinished else { return }
        guard !closed else {
            call.finish(.failure(RPCError(.unavailable, "client is closed")))
            return
        }
        if let timeout {
            let item = DispatchWorkItem { [self] in
                cancel(call, with: RPCError(.deadlineExceeded, "deadline exceeded after \(timeout)"))
            }
            call.deadlineItem = item
            queue.asyncAfter(deadline: .now() + timeout.dispatchInterval, execute: item)
        }
        currentConnection().start(call, header: header, message: message, end: end)
    }

    private func currentConnection() -> ClientConnection {
        if let connection, connection.canStartCalls { return connection }
        let fresh = ClientConnection(core: self, configuration: configuration, logger: logger)
        connection = fresh
        fresh.connect(after: configuration.backoff(afterFailures: consecutiveFailures))
        return fresh
    }

    /// The TLS context for a new connection: nil without TLS; throws when the CA or certificate cannot be loaded.
    func tlsContextForConnection() throws(RPCSetupError) -> TLSContext? {
        guard let tls = configuration.tls else { return nil }
        if tlsContext == nil {
            do throws(RPCSetupError) {
                tlsContext = .success(try TLSContext.client(tls))
            } catch {
                tlsContext = .failure(error)
            }
        }
        return try tlsContext?.get()
    }

    /// Sends a request message of a client-streaming call; waits while output is above the high watermark.
    func send(_ call: ClientCall, payload: [UInt8], end: Bool) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            queue.async {
                guard !call.isFinished, let connection = call.connection else {
                    continuation.resume(throwing: RPCError(.cancelled, "call has ended"))
                    return
                }
                connection.send(call, payload: payload, end: end, continuation: continuation)
            }
        }
    }

    /// The call's result, once it ends.
    func result(of call: ClientCall) async throws -> [UInt8]? {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                if let outcome = call.outcome {
                    continuation.resume(with: outcome)
                } else {
                    call.resultWaiter = continuation
                }
            }
        }
    }

    /// Abandons a call (Task cancelled, stream dropped, local deadline): CANCEL, then the call fails with `error`.
    func cancel(_ call: ClientCall, with error: Error) {
        guard !call.isFinished else { return }
        call.connection?.cancel(call)
        call.finish(.failure(error))
    }

    /// Called by a connection when it closes; calls made later open a new one.
    func connectionEnded(_ ended: ClientConnection) {
        if ended.handshakeCompleted {
            consecutiveFailures = 0
        } else {
            consecutiveFailures += 1
        }
        if connection === ended { connection = nil }
    }

    /// What can be seen of the current connection: whether it takes new calls (not once the server's
    /// GOAWAY arrived), how often its keepalive timer fired and how many PINGs it sent. Tests wait on
    /// these instead of on time.
    struct ConnectionProbe: Sendable {
        var takesCalls: Bool
        var keepaliveTicks: Int
        var pingsSent: Int
    }

    /// The current connection's probe, nil when there is none. Must not be called on `queue`.
    func probeConnection() -> ConnectionProbe? {
        queue.sync {
            connection.map {
                ConnectionProbe(takesCalls: $0.canStartCalls, keepaliveTicks: $0.keepaliveTicks, pingsSent: $0.pingsSent)
            }
        }
    }

    /// Closes the client: open calls end with CANCELLED, later calls fail with UNAVAILABLE.
    func close() {
        closed = true
        connection?.closeRequested()
        connection = nil
    }
}
