import Synchronization

/// The messages of one server-streaming call that arrived but were not yet taken by its consumer,
/// bounded in bytes like the server's output (SPEC §8, slow readers).
///
/// Above `highWatermark` bytes it reports pressure, and the connection stops reading its socket, so
/// TCP pushes back on the server (whose own bounds, e.g. the slow-watcher cut-off, then apply); once
/// the consumer has taken enough to go below `lowWatermark`, reading resumes. The producer side runs
/// on the client's queue; the consumer side on any task.
final class ResponseBuffer: Sendable {
    private struct State {
        var messages: [[UInt8]] = []
        var head = 0
        var bytes = 0
        var end: Result<Void, Error>?
        var waiter: CheckedContinuation<[UInt8]?, Error>?
        var aboveHighWatermark = false
        var abandoned = false
    }

    private let state = Mutex(State())
    let highWatermark: Int
    let lowWatermark: Int
    /// Called with true when the buffer goes above the high watermark, false when it drains below the low one.
    private let onPressure: @Sendable (Bool) -> Void
    /// Called once when the consumer is gone (cancelled, or dropped the stream) before the call ended.
    private let onAbandon: @Sendable () -> Void

    init(highWatermark: Int, lowWatermark: Int,
         onPressure: @escaping @Sendable (Bool) -> Void, onAbandon: @escaping @Sendable () -> Void) {
        self.highWatermark = highWatermark
        self.lowWatermark = min(lowWatermark, highWatermark)
        self.onPressure = onPressure
        self.onAbandon = onAbandon
    }

    deinit {
        let ended = state.withLock { $0.end != nil || $0.abandoned }
        if !ended { onAbandon() }
    }

    // MARK: - Producer (the client's queue)

    /// A response message arrived.
    func append(_ message: [UInt8]) {
        let (waiter, pressure): (CheckedContinuation<[UInt8]?, Error>?, Bool) = state.withLock { state in
            guard state.end == nil, !state.abandoned else { return (nil, false) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, false)
            }
            state.messages.append(message)
            state.bytes += message.count
            guard !state.aboveHighWatermark, state.bytes > highWatermark else { return (nil, false) }
            state.aboveHighWatermark = true
            return (nil, true)
        }
        waiter?.resume(returning: message)
        if pressure { onPressure(true) }
    }

    /// The call ended; the consumer gets the remaining messages, then the end (or the error).
    func finish(_ result: Result<Void, Error>) {
        let waiter: CheckedContinuation<[UInt8]?, Error>? = state.withLock { state in
            guard state.end == nil else { return nil }
            state.end = result
            defer { state.waiter = nil }
            return state.waiter
        }
        switch result {
        case .success: waiter?.resume(returning: nil)
        case .failure(let error): waiter?.resume(throwing: error)
        }
    }

    // MARK: - Consumer

    /// The next message; nil when the call ended with OK. Throws the call's error, or
    /// `CancellationError` when the consuming task is cancelled (the call is then cancelled).
    /// A message already buffered is returned without suspending.
    func next() async throws -> [UInt8]? {
        if Task.isCancelled {
            abandon()
            throw CancellationError()
        }
        if let ready = try deliver(take(orPark: nil)) { return ready }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, Error>) in
                let step = take(orPark: continuation)
                if case .parked = step { return }  // the producer resumes it
                continuation.resume(with: Result { try deliver(step) ?? nil })
            }
        } onCancel: {
            abandon()
        }
    }

    private enum Step {
        case message([UInt8], relieved: Bool)
        case end(Result<Void, Error>)
        case cancelled
        /// Nothing yet; the continuation given (if any) now waits for the producer.
        case parked
    }

    /// Takes the next message or the end under the lock; when there is none, parks `continuation`.
    private func take(orPark continuation: CheckedContinuation<[UInt8]?, Error>?) -> Step {
        state.withLock { state in
            if state.abandoned { return .cancelled }
            if state.head < state.messages.count {
                let message = state.messages[state.head]
                state.head += 1
                state.bytes -= message.count
                if state.head == state.messages.count {
                    state.messages.removeAll(keepingCapacity: true)
                    state.head = 0
                } else if state.head >= 1024 && state.head * 2 >= state.messages.count {
                    state.messages.removeFirst(state.head)
                    state.head = 0
                }
                let relieved = state.aboveHighWatermark && state.bytes <= lowWatermark
                if relieved { state.aboveHighWatermark = false }
                return .message(message, relieved: relieved)
            }
            if let end = state.end { return .end(end) }
            if let continuation { state.waiter = continuation }
            return .parked
        }
    }

    /// What `next` returns for `step`: .some(message), .some(nil) at the end, nil when parked.
    private func deliver(_ step: Step) throws -> [UInt8]?? {
        switch step {
        case .message(let message, let relieved):
            if relieved { onPressure(false) }
            return .some(message)
        case .end(.success): return .some(nil)
        case .end(.failure(let error)): throw error
        case .cancelled: throw CancellationError()
        case .parked: return nil
        }
    }

    /// The consumer is gone: fails a waiting `next`, drops the buffer and cancels the call.
    func abandon() {
        let (waiter, first): (CheckedContinuation<[UInt8]?, Error>?, Bool) = state.withLock { state in
            guard !state.abandoned else { return (nil, false) }
            state.abandoned = true
            state.messages.removeAll()
            state.head = 0
            state.bytes = 0
            defer { state.waiter = nil }
            return (state.waiter, state.end == nil)
        }
        waiter?.resume(throwing: CancellationError())
        if first { onAbandon() }
    }
}
