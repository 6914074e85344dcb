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
    /// Events are read from the server only as the caller takes them, so a slow caller holds the
    /// server back (which may cut it off, and then it resumes) instead of filling memory.
    /// `campaign` ("2024"; nil: the server's default) is watched across every reconnect.
    public func watchResuming(afterSequence: Int64 = 0, campaign: String? = nil, backoff: ReconnectBackoff = ReconnectBackoff(),
                              onReconnect: (@Sendable (Int64) -> Void)? = nil)
        -> AsyncThrowingStream<Tally_V1_WatchEvent, Error> {
        let resumer = WatchResumer(client: self, after: afterSequence, campaign: campaign, backoff: backoff,
                                   onReconnect: onReconnect)
        return AsyncThrowingStream(unfolding: { try await resumer.next() })
    }
}

/// The state of one `watchResuming` stream: the current watch and where to resume it.
private actor WatchResumer {
    private let client: TallyClient
    private let campaign: String?
    private let backoff: ReconnectBackoff
    private let onReconnect: (@Sendable (Int64) -> Void)?
    private var last: Int64
    private var pause: Duration
    private var failures = 0
    private var current: AsyncThrowingStream<Tally_V1_WatchEvent, Error>.AsyncIterator?

    init(client: TallyClient, after: Int64, campaign: String?, backoff: ReconnectBackoff,
         onReconnect: (@Sendable (Int64) -> Void)?) {
        self.client = client
        self.campaign = campaign
        self.last = after
        self.backoff = backoff
        self.pause = backoff.initial
        self.onReconnect = onReconnect
    }

    /// The next event, reconnecting as needed; nil once the consuming task is cancelled.
    func next() async throws -> Tally_V1_WatchEvent? {
        while !Task.isCancelled {
            var iterator = current ?? client.watch(afterSequence: last, campaign: campaign).makeAsyncIterator()
            current = nil
            do {
                if let event = try await iterator.next(isolation: self) {
                    current = iterator
                    last = max(last, event.sequence)
                    pause = backoff.initial
                    failures = 0
                    return event
                }
                // The server ended the watch (shutting down): resume like after a loss.
            } catch let error as RPCError where error.code == .unavailable || error.code == .resourceExhausted {
                failures += 1
                if let limit = backoff.maxAttempts, failures > limit { throw error }
            } catch is CancellationError {
                return nil
            }
            if Task.isCancelled { break }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, backoff.maximum)
            onReconnect?(last)
        }
        return nil
    }
}

extension Tally_V1_WatchEvent {
    /// The change-log position this event brings the watcher to.
    public var sequence: Int64 {
        switch event {
        case .snapshot(let dashboard): dashboard.sequence
        case .change(let change): change.change.sequence
        case .warning: 0  // not a change-log position: resuming never depends on it
        case nil: 0
        }
    }
}
