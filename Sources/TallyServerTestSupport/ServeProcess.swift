import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A `tally serve` process (the real binary, built beside the tests) on a given database, for tests
/// that drive the server from outside: the CLI's, kill -9, soak. `init` returns once the server
/// prints its "listening on" line; it never outlives the object (SIGKILL at deinit).
public final class ServeProcess: Sendable {
    public let process = Process()
    private let output = Mutex("")
    private let boundAddress = Mutex("")
    /// Signalled when the "listening on" line arrives or the process ends, whichever comes first.
    private let started = DispatchSemaphore(value: 0)

    /// Starts `tally serve --database CONNINFO --listen HOST:PORT` (0: any free port) with
    /// `extraArguments` (e.g. TLS flags), `environment` and `directory`, inside network namespace
    /// `namespace` when given (`ip netns exec`), and waits up to `timeout` seconds for it to listen.
    /// Without a database, the server makes or uses the embedded PostgreSQL of the environment's home.
    public init(database: String?, host: String = "127.0.0.1", port: Int = 0, extraArguments: [String] = [],
                namespace: String? = nil, environment: [String: String] = ServeProcess.quietEnvironment(),
                directory: URL = FileManager.default.temporaryDirectory, timeout: TimeInterval = 90) throws {
        let arguments = ["serve", "--listen", "\(host):\(port)"] + (database.map { ["--database", $0] } ?? []) + extraArguments
        if let namespace {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
            process.arguments = ["netns", "exec", namespace, try Self.binary().path] + arguments
        } else {
            process.executableURL = try Self.binary()
            process.arguments = arguments
        }
        process.environment = environment
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        // Read on a thread of its own with blocking reads until end of file, not with
        // FileHandle.readabilityHandler: that installs a Dispatch read source per handle, and on
        // Linux setting such sources up and tearing them down while other tests do the same can
        // corrupt libdispatch's epoll bookkeeping and crash its manager thread
        // (swift-corelibs-libdispatch issue 949; seen twice in this suite's Outbox tests).
        let reading = pipe.fileHandleForReading
        let reader = Thread { [weak self] in
            while true {
                let data = reading.availableData  // blocks; empty at end of file
                guard !data.isEmpty, let self else { return }
                self.received(data)
            }
        }
        reader.name = "ServeProcess output"
        process.terminationHandler = { [weak self] _ in self?.started.signal() }
        try process.run()
        reader.start()  // after run(), which closes this process's copy of the pipe's write end
        guard started.wait(timeout: .now() + timeout) == .success, !address.isEmpty else {
            let text = log
            kill()
            throw ServeProcessError(message: "tally serve did not start listening within \(timeout) s; it printed:\n\(text)")
        }
    }

    /// Keeps what the server printed and notices its "listening on" line.
    private func received(_ data: Data) {
        let text = output.withLock { output in
            output += String(decoding: data, as: UTF8.self)
            return output
        }
        // "Tally is listening on", not the side door's "Server started and listening on" (--http).
        if let range = text.range(of: #"Tally is listening on (tallys://)?[0-9.]+:[0-9]+"#, options: .regularExpression) {
            let found = boundAddress.withLock { address in
                defer { address = String(text[range].dropFirst("Tally is listening on ".count)) }
                return address.isEmpty
            }
            if found { started.signal() }
        }
    }

    /// TALLY_* settings of the caller removed, English messages, no colours.
    public static func quietEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TALLY_") }
        environment["TALLY_LANG"] = "en"
        environment["NO_COLOR"] = "1"
        return environment
    }

    /// The `tally` executable next to the test bundle (.build/debug/tally).
    public static func binary() throws -> URL {
        let candidates = [
            Bundle(for: ServeProcess.self).bundleURL.deletingLastPathComponent().appendingPathComponent("tally"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/tally"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ServeProcessError(message: "tally binary not found in \(candidates.map(\.path)); run `swift build`")
        }
        return found
    }

    /// "127.0.0.1:PORT" (or "tallys://127.0.0.1:PORT" with TLS), as the server printed it.
    public var address: String { boundAddress.withLock { $0 } }

    /// The port the server listens on.
    public var port: Int { Int(address.split(separator: ":").last ?? "") ?? 0 }

    /// Everything the server printed so far.
    public var log: String { output.withLock { $0 } }

    /// Resident set size in KiB (from /proc), nil once the process is gone.
    public var residentKiB: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }

    /// SIGKILL: no shutdown, no flush, no goodbye.
    public func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM and wait for the exit.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// The exit status once the process has ended (after `stop()`), nil while it runs.
    public var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }

    deinit { kill() }
}

/// Why a `tally serve` process could not be started.
public struct ServeProcessError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
