import Dispatch

/// Call deadlines on one timer per connection. A `DispatchWorkItem` per call scheduled with
/// `asyncAfter` stays in Dispatch's timer list until its deadline even when cancelled, so a server
/// answering 30,000 calls/s with 30 s timeouts held about 900,000 of them (hundreds of MB). Here a
/// deadline is a dictionary entry removed when the call ends, and the timer is set to the earliest.
/// Everything runs on the connection's `queue`.
extension ServerConnection {
    /// Ends the call on `stream` with DEADLINE_EXCEEDED at `deadline` unless it ends first.
    func armDeadline(stream: UInt32, at deadline: DispatchTime) {
        deadlines[stream] = deadline
        if let firesAt = deadlineTimerFiresAt, firesAt <= deadline { return }
        scheduleDeadlineTimer(at: deadline)
    }

    /// Forgets the deadline of a call that ended (the timer may then fire once with nothing due).
    func disarmDeadline(stream: UInt32) {
        deadlines.removeValue(forKey: stream)
    }

    private func scheduleDeadlineTimer(at deadline: DispatchTime) {
        let timer: DispatchSourceTimer
        if let existing = deadlineTimer {
            timer = existing
        } else {
            timer = DispatchSource.makeTimerSource(queue: queue)
            timer.setEventHandler { [weak self] in self?.deadlineTimerFired() }
            timer.resume()
            deadlineTimer = timer
        }
        timer.schedule(deadline: deadline, leeway: .milliseconds(1))
        deadlineTimerFiresAt = deadline
    }

    private func deadlineTimerFired() {
        deadlineTimerFiresAt = nil
        let now = DispatchTime.now()
        let due = deadlines.filter { $0.value <= now }.map(\.key).sorted()
        for stream in due {
            deadlines.removeValue(forKey: stream)
            deadlineExpired(stream: stream)
        }
        if let next = deadlines.values.min() { scheduleDeadlineTimer(at: next) }
    }
}
