/// A failure managing a local cluster: a tool missing or failing, with the tool's output.
public struct LocalClusterError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
