import XCTest

/// Waits until `condition` holds, reading it every few milliseconds, and fails the test (at the
/// caller's line) when it has not held within `timeout`. For a state that no event announces
/// (a counter, a pool's queue, a connection's flags); where an event exists, wait on it instead.
public func waitUntil(
    timeout: Duration = .seconds(5), file: StaticString = #filePath, line: UInt = #line,
    _ condition: @Sendable () -> Bool
) async {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        if ContinuousClock.now > deadline {
            XCTFail("condition not met within \(timeout)", file: file, line: line)
            return
        }
        try? await Task.sleep(for: .milliseconds(5))
    }
}

/// The value of a growing count once it has stopped growing: read every `quiet` until two reads in
/// a row agree (or the count reaches `ceiling`), bounded by `timeout`.
///
/// No event says "the sender is held back" (backpressure is the absence of progress), so tests of
/// it wait for the count to settle rather than for a fixed time that a busy machine may not honour.
public func settledValue(
    of count: @Sendable () -> Int, ceiling: Int = .max, quiet: Duration = .milliseconds(300),
    timeout: Duration = .seconds(20), file: StaticString = #filePath, line: UInt = #line
) async -> Int {
    let deadline = ContinuousClock.now + timeout
    var previous = -1
    var current = count()
    while current != previous, current < ceiling {
        if ContinuousClock.now > deadline {
            XCTFail("the count never settled within \(timeout) (last \(current))", file: file, line: line)
            break
        }
        previous = current
        try? await Task.sleep(for: quiet)
        current = count()
    }
    return current
}
