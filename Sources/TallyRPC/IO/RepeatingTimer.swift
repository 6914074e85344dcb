import Dispatch

extension DispatchSource {
    /// A started timer that runs `tick` on `queue` every `interval`, the first time one interval
    /// from now. Connections use it for their periodic checks (keepalive, idle timeout); the
    /// caller cancels it when the connection ends.
    static func repeatingTimer(every interval: Duration, on queue: DispatchQueue,
                               _ tick: @escaping () -> Void) -> any DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval.dispatchInterval, repeating: interval.dispatchInterval)
        timer.setEventHandler(handler: tick)
        timer.resume()
        return timer
    }
}
