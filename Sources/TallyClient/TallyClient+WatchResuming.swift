import TallyMessages
import TallyWire

/// How `watchResuming` waits between attempts to reconnect.
public struct ReconnectBackoff: Sendable {
    /// The first pause after a lost connection.
    public var initial: Duration = .milliseconds(200)
    /// The longest pause; each failed attempt doubles the previous one up to it.
    public var maximum: Duration = .seconds(5)
    /// Gives up after this many consecutive failed attempts; nil retries for ever.
    public var maxAttempts: Int?

    /// The default: 0.2 s doubling to 5 s, for ever.
    public init(initial: Duration = .milliseconds(200), maximum: Duration = .seconds(5), maxAttempts: Int? = nil) {
        self.initial = initial
        self.maximum = maximum
        self.maxAttempts = maxAttempts
    }
}

extension TallyClient {
    /// Watches changes for as long as the caller iterates: when the server becomes unreachable, or
    /// cuts this watcher off for reading too slowly (RESOURCE_EXHAUSTED), it reconnects with backoff
    /// and resumes right after the last sequence seen, so nothing is lost or doubled.
    /// The first event is a snapshot when `afterSequence` is 0. Other errors end the stream.
    public func watchResuming(afterSequence: Int64 = 0, backoff: ReconnectBackoff = ReconnectBackoff(),
                              onReconnect: (@Sendable (Int64) -> Void)? = nil)
        -> AsyncThrowingStream<Tally_V1_WatchEvent, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                var last = afterSequence
                var pause = backoff.initial
                var failures = 0
                while !Task.isCancelled {
                    do {
                        for try await event in watch(afterSequence: last) {
                            last = max(last, event.sequence)
                            pause = backoff.initial
                            failures = 0
                            continuation.yield(event)
                        }
                        // The server ended the watch (shutting down): resume like after a loss.
                    } catch let error as RPCError where error.code == .unavailable || error.code == .resourceExhausted {
                        failures += 1
                        if let limit = backoff.maxAttempts, failures > limit {
                            continuation.finish(throwing: error)
                            return
                        }
                    } catch {
                        continuation.finish(throwing: error)
                        return
                    }
                    if Task.isCancelled { break }
                    try? await Task.sleep(for: pause)
                    pause = min(pause * 2, backoff.maximum)
                    onReconnect?(last)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

extension Tally_V1_WatchEvent {
    /// The change-log position this event brings the watcher to.
    public var sequence: Int64 {
        switch event {
        case .snapshot(let dashboard): dashboard.sequence
        case .change(let change): change.change.sequence
        case nil: 0
        }
    }
}
