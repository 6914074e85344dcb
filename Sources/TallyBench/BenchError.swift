/// A benchmark that could not run, or whose results are wrong (a failed correctness check).
public struct BenchError: Error, Sendable, CustomStringConvertible {
    /// True when the run completed but a correctness check failed.
    public var isCheckFailure: Bool
    public var message: String

    public init(_ message: String, checkFailure: Bool = false) {
        self.message = message
        self.isCheckFailure = checkFailure
    }

    public var description: String { message }
}
