import Synchronization

/// Writes whole lines to a file descriptor from many threads, in the order they arrive, without a
/// thread of its own: the first caller writes; lines that arrive while it writes are appended to a
/// buffer, and it writes them too before it returns (one `write` for all of them, as group commit
/// does for transactions). A line is written by the time its own call returns, unless another
/// caller's write was under way, which then writes it at once.
final class LineWriter: Sendable {
    private struct Pending {
        var bytes: [UInt8] = []
        var writing = false
    }

    private let fd: Int32
    private let pending = Mutex(Pending())

    init(fd: Int32) {
        self.fd = fd
    }

    /// Queues `line` (UTF-8 that ends with its newline) and writes what is queued unless a write is under way.
    func write(_ line: [UInt8]) {
        let becameWriter = pending.withLock { pending in
            pending.bytes.append(contentsOf: line)
            guard !pending.writing else { return false }
            pending.writing = true
            return true
        }
        guard becameWriter else { return }
        var batch: [UInt8] = []
        while true {
            let done = pending.withLock { pending in
                swap(&batch, &pending.bytes)
                if batch.isEmpty { pending.writing = false }
                return batch.isEmpty
            }
            if done { return }
            _ = writeAll(batch, to: fd)  // an error is dropped: a log must never stop the server
            batch.removeAll(keepingCapacity: true)
        }
    }
}
