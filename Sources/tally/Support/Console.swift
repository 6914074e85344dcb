import Foundation

/// Unbuffered output: lines reach a pipe at once (tests and `tee` read them as they come).
enum Console {
    /// Writes a line to standard output.
    static func out(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes text to standard output without a newline.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes a line to standard error (progress, warnings, errors).
    static func err(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Whether a file descriptor is a terminal.
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
}

/// Progress of long work, on standard error so it never mixes with the output.
struct ProgressReporter: Sendable {
    var enabled: Bool

    /// Reports one step.
    func step(_ text: String) {
        if enabled { Console.err("… \(text)") }
    }
}
