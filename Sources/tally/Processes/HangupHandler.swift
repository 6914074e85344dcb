import Dispatch
import Foundation

/// Runs an action on every SIGHUP (`tally serve` reloads its TLS certificate). The source is made
/// inside a method of this class, never in top-level code (see SignalWaiter).
/// `@unchecked Sendable`: `source` is set once in init, on `queue`, and only read afterwards.
final class HangupHandler: @unchecked Sendable {
    private let queue = DispatchQueue(label: "tally.sighup")
    private var source: DispatchSourceSignal?

    /// Starts listening; SIGHUP no longer terminates the process.
    init(_ action: @escaping @Sendable () -> Void) {
        queue.sync { self.install(action) }
    }

    private func install(_ action: @escaping @Sendable () -> Void) {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        source.setEventHandler { action() }
        source.resume()
        self.source = source
    }

    /// Stops listening.
    func cancel() {
        queue.sync { source?.cancel() }
    }
}
