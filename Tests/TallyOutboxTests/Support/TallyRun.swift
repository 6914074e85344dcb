import Foundation
import Synchronization
import TallyServerTestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// A department's `tally` process (the real binary) with its own home (and so its own outbox file),
/// run to completion or killed with SIGKILL at a chosen moment.
final class TallyRun: Sendable {
    /// What a finished run printed and returned; `killed` when SIGKILL ended it.
    struct Result {
        var status: Int32
        var killed: Bool
        var stdout: String
        var stderr: String
    }

    let process = Process()
    private let output = Mutex((out: Data(), err: Data()))
    private let finished = DispatchGroup()

    /// Starts `tally arguments...` for `home`, talking to `server` with `token`, in English.
    init(_ arguments: [String], home: URL, server: String, token: String) throws {
        process.executableURL = try ServeProcess.binary()
        process.arguments = arguments
        var environment = ServeProcess.quietEnvironment()
        environment["TALLY_HOME"] = home.path
        environment["TALLY_SERVER"] = server
        environment["TALLY_TOKEN"] = token
        environment["HOME"] = home.path
        process.environment = environment
        process.currentDirectoryURL = home
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        for (handle, isOut) in [(out.fileHandleForReading, true), (err.fileHandleForReading, false)] {
            finished.enter()
            DispatchQueue.global().async { [self] in
                let data = handle.readDataToEndOfFile()
                output.withLock { if isOut { $0.out = data } else { $0.err = data } }
                finished.leave()
            }
        }
    }

    /// Runs `tally arguments...` to completion (at most `timeout` seconds).
    static func run(_ arguments: [String], home: URL, server: String, token: String,
                    timeout: TimeInterval = 120) throws -> Result {
        try TallyRun(arguments, home: home, server: server, token: token).wait(timeout: timeout)
    }

    /// Waits for the exit and returns what the process printed.
    func wait(timeout: TimeInterval = 120) -> Result {
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            kill()
            XCTFail("tally \(process.arguments?.joined(separator: " ") ?? "") did not finish within \(timeout) s")
        }
        process.waitUntilExit()
        let (out, err) = output.withLock { ($0.out, $0.err) }
        return Result(status: process.terminationStatus, killed: process.terminationReason == .uncaughtSignal,
                      stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    /// SIGKILL: no clean-up of any kind.
    func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }
}

/// A fresh home directory for one department's `tally` (its outbox file lives there), inside this
/// test process's own directory, which is removed when the process exits.
func freshHome(_ name: String = #function) throws -> URL {
    let url = testHomesDirectory()
        .appendingPathComponent("\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    _ = removeTestHomesAtExit
    return url
}

/// Where this process's test homes live: one directory per test process.
private func testHomesDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("tally-outbox-tests-\(getpid())")
}

/// Registers, once, the removal of this process's test homes when it exits.
private let removeTestHomesAtExit: Void = {
    atexit { try? FileManager.default.removeItem(at: testHomesDirectory()) }
}()
