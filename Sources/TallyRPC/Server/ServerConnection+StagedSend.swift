import Synchronization
import TallyWire

/// Handler messages waiting to be handed to the connection's state machine.
struct StagedSends: ~Copyable {
    var items: [(stream: UInt32, payload: [UInt8])] = []
    /// Memory held by `items`: payload bytes plus ``ServerConnection/stagedItemOverhead`` each.
    var bytes = 0
    /// True while a drain is queued on the connection's queue.
    var drainScheduled = false
    /// Failures of staged sends, thrown by the stream's next send.
    var failed: [UInt32: RPCError] = [:]
}

/// The fast path of streaming output: while the connection's output is below the high watermark,
/// `send` appends the message to a mutex-guarded list and returns without suspending; one block on
/// the connection's queue drains every message staged meanwhile, and one write carries them all.
/// Per message that saves a continuation, a task suspension and resumption, and a queue hop.
///
/// Order is kept: a handler's messages are staged, drained and framed in the order it sent them, and
/// anything the handler does afterwards (its STATUS, a suspending send) is queued behind the drain.
/// A failure of a staged message (the call ended, the message is too large) is thrown by the next send.
extension ServerConnection {
    /// Messages larger than this take the suspending path, which reports RESOURCE_EXHAUSTED at once.
    static let stagedPayloadLimit = 16 * 1024
    /// Heap bytes a staged message costs beyond its payload (array header, allocation, list slot),
    /// so that a flood of tiny messages is bounded by memory, not by payload bytes alone.
    static let stagedItemOverhead = 64

    /// Stages `payload` when there is room; false when the caller must take the suspending path.
    func stageIfRoom(stream: UInt32, payload: [UInt8]) throws -> Bool {
        try stageWhileRoom(stream: stream, payloads: CollectionOfOne(payload)) == 1
    }

    /// Stages `payloads` in order while there is room; returns how many were staged (the rest must
    /// take the suspending path, after them). Throws a failure kept for the stream.
    func stageWhileRoom<Payloads: Collection<[UInt8]>>(stream: UInt32, payloads: Payloads) throws -> Int {
        let buffered = bufferedBytesSnapshot
        let limit = outboundHighWatermark
        let (count, scheduleDrain, failure): (Int, Bool, RPCError?) = staged.withLock { staged in
            if let error = staged.failed.removeValue(forKey: stream) { return (0, false, error) }
            var count = 0
            for payload in payloads {
                let cost = payload.count + Self.stagedItemOverhead
                guard payload.count <= Self.stagedPayloadLimit, buffered + staged.bytes + cost <= limit else { break }
                staged.items.append((stream, payload))
                staged.bytes += cost
                count += 1
            }
            guard count > 0, !staged.drainScheduled else { return (count, false, nil) }
            staged.drainScheduled = true
            return (count, true, nil)
        }
        if let failure { throw failure }
        if scheduleDrain { queue.async { self.drainStaged() } }
        return count
    }

    /// Hands every staged message to the state machine. Runs on `queue`.
    private func drainStaged() {
        let items = staged.withLock { staged in
            let items = staged.items
            staged.items = []
            staged.bytes = 0
            staged.drainScheduled = false
            return items
        }
        for item in items {
            enqueueSend(stream: item.stream, payload: item.payload, continuation: nil)
        }
    }

    /// Keeps a staged message's failure for the stream's next send.
    func recordStagedFailure(stream: UInt32, _ error: RPCError) {
        staged.withLock { $0.failed[stream] = error }
    }
}
