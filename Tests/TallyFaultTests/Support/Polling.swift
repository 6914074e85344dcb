import XCTest

/// Polls `condition` every 20 ms for up to `seconds`; fails the test with `what` when it never holds.
func waitFor(_ what: String, seconds: Double = 30, file: StaticString = #filePath, line: UInt = #line,
             _ condition: () throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    XCTFail("timed out after \(seconds) s waiting for \(what)", file: file, line: line)
    throw CancellationError()
}
