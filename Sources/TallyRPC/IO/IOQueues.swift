import Dispatch

/// A few shared serial target queues for socket I/O, so that 1000 connections (each with its own
/// serial queue targeting one of these) do not mean 1000 threads.
enum IOQueues {
    private static let targets: [DispatchQueue] = (0..<4).map {
        DispatchQueue(label: "tally.rpc.io.\($0)", qos: .userInitiated)
    }
    private static let counter = RoundRobin()

    /// A new serial queue for one connection or listener, targeting one of the shared queues.
    static func makeQueue(label: String) -> DispatchQueue {
        let index = counter.next() % targets.count
        return DispatchQueue(label: label, target: targets[index])
    }
}

import Synchronization

/// A thread-safe counter handing out 0, 1, 2, ...
final class RoundRobin: Sendable {
    private let value = Atomic<Int>(0)
    func next() -> Int { value.add(1, ordering: .relaxed).oldValue }
}
