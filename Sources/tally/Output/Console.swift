import Foundation
import Logging
import TallyPresentation
#if canImport(Glibc)
    import Glibc
#endif

/// Unbuffered output with write(2): lines reach a pipe at once (tests and `tee` read them as
/// they come), and a reader that went away (`tally list | head`) ends the program quietly
/// instead of crashing it (FileHandle.write traps on EPIPE).
enum Console {
    /// Writes a line to standard output.
    static func out(_ text: String = "") {
        write(text + "\n", to: 1)
    }

    /// Writes text to standard output without a newline.
    static func write(_ text: String) {
        write(text, to: 1)
    }

    /// Writes a line to standard error (progress, warnings, errors).
    static func err(_ text: String) {
        write(text + "\n", to: 2)
    }

    /// Whether a file descriptor is a terminal.
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    private static func write(_ text: String, to fd: Int32) {
        if writeAll(Array(text.utf8), to: fd) == EPIPE {
            exit(0)   // the reader is gone: nothing left to say
        }
    }
}

/// Progress of long work, on standard error so it never mixes with the output.
struct ProgressReporter: Sendable {
    var enabled: Bool
    /// The language of the steps, and of the errors of the work they report.
    var lang: Language = .zh
    /// Where steps go instead of plain lines on standard error (`tally serve --log-format json`:
    /// every line there a JSON object).
    var logger: Logger?

    /// Reports one step.
    func step(_ text: String) {
        guard enabled else { return }
        if let logger { logger.info("\(text)") } else { Console.err("… \(text)") }
    }

    /// Reports one step in the user's language.
    func step(zh: String, en: String) {
        step(lang.pick(zh: zh, en: en))
    }
}
