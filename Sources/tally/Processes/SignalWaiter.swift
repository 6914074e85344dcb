import Dispatch
import Foundation

/// Waits for SIGINT or SIGTERM. The Dispatch sources are made here, inside a method of a class,
/// never in top-level code (see PLATFORM-NOTES: handlers in main.swift crash under Swift 6).
/// `@unchecked Sendable`: `sources` and `continuation` are touched only on `queue`.
final class SignalWaiter: @unchecked Sendable {
    private let queue = DispatchQueue(label: "tally.signals")
    private var sources: [DispatchSourceSignal] = []
    private var continuation: CheckedContinuation<Int32, Never>?
    private var received: Int32?

    /// Starts listening; the default actions of SIGINT and SIGTERM are disabled from now on.
    init() {
        queue.sync { self.install() }
    }

    private func install() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak self] in self?.fire(number) }
            source.resume()
            sources.append(source)
        }
    }

    private func fire(_ number: Int32) {
        if received == nil { received = number }
        continuation?.resume(returning: number)
        continuation = nil
    }

    /// Suspends until a signal arrives and returns its number.
    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            queue.async {
                if let received = self.received {
                    continuation.resume(returning: received)
                } else {
                    self.continuation = continuation
                }
            }
        }
    }
}
