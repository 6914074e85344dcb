import Dispatch
import Foundation

/// Checks the warnings on a steady beat, so that one that starts because time passed (a due day, a
/// request's due time, elapsed time overtaking a target) reaches watchers without any write.
/// Checks compare levels (``WatchHub/checkWarnings()``), so a late beat delays a warning by at most
/// one interval and never loses it.
///
/// `@unchecked Sendable`: the timer is created once in `init` and only cancelled afterwards
/// (DispatchSource's cancel is thread-safe); the handler runs on the ticker's own serial queue.
final class WarningTicker: @unchecked Sendable {
    private let queue = DispatchQueue(label: "tally.warnings")
    private let timer: any DispatchSourceTimer

    init(hub: WatchHub, interval: TimeInterval) {
        timer = DispatchSource.makeTimerSource(queue: queue)
        let nanoseconds = Int(max(interval, 0.01) * 1_000_000_000)
        timer.schedule(deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds),
                       leeway: .milliseconds(100))
        timer.setEventHandler { hub.checkWarnings() }
        timer.resume()
    }

    /// Stops the beat (server shutdown).
    func cancel() { timer.cancel() }

    deinit { timer.cancel() }
}
