import Dispatch

/// A connection whose state machine queues encoded frames in an output buffer, written to the
/// socket on the connection's queue. At most one flush is queued at a time, so the frames that one
/// turn of events produced leave in one write. Client and server connections both flush this way.
protocol MachineOutputFlushing: AnyObject, Sendable {
    /// The serial queue that owns the connection's state.
    var queue: DispatchQueue { get }
    /// Whether a flush is queued already (confined to `queue`).
    var flushScheduled: Bool { get set }
    /// The state machine's output buffer (confined to `queue`).
    var pendingOutput: [UInt8] { get set }
    /// Writes what is pending, if the connection can.
    func flushNow()
}

extension MachineOutputFlushing {
    /// Queues one flush behind the current event, unless one is queued already.
    func scheduleFlush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        queue.async { [self] in
            flushScheduled = false
            flushNow()
        }
    }

    /// Writes the pending output to `channel`. From a local buffer: the write may report a failed
    /// peer, whose handling changes the state machine again (a re-entrant call would otherwise
    /// overlap the access to its output). Output added meanwhile gets a flush of its own.
    func writePendingOutput(to channel: SocketChannel) {
        var bytes: [UInt8] = []
        swap(&bytes, &pendingOutput)
        channel.write(&bytes)
        if pendingOutput.isEmpty { swap(&bytes, &pendingOutput) } else { scheduleFlush() }  // keep the capacity
    }
}
