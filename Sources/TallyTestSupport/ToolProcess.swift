import Foundation
import Synchronization

/// Runs a command-line tool to completion for a test (`openssl`, `ip`, `python3`, the tally binary):
/// its exit status and what it printed, standard output and standard error apart.
public enum ToolProcess {
    /// What a finished tool returned and printed.
    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var errors: String
        /// Both streams, standard output first.
        public var combined: String { output + errors }
    }

    /// Runs `executable` with `arguments` (and `environment`, default: ours), standard input empty.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Standard error is drained on another thread so that neither pipe can fill up and stall the tool.
        let errorData = ErrorData()
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errorData.set(errors.fileHandleForReading.readDataToEndOfFile())
            drained.signal()
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                      errors: String(decoding: errorData.get(), as: UTF8.self))
    }
}

/// Standard error's bytes, handed from the draining thread.
private final class ErrorData: Sendable {
    private let data = Mutex(Data())
    func set(_ value: Data) { data.withLock { $0 = value } }
    func get() -> Data { data.withLock { $0 } }
}
