import Foundation
import Synchronization
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// A `tally serve` process (the real binary) on a given database and address.
final class ServeProcess: Sendable {
    let process = Process()
    private let output = Mutex("")
    private let boundPort = Mutex(0)
    /// The port the server listens on.
    var port: Int { boundPort.withLock { $0 } }

    /// Starts `tally serve --database CONNINFO --listen 127.0.0.1:PORT` (0 = any) and any further
    /// `arguments` (such as `--as-of`), and waits until it listens.
    init(database: String, port: Int = 0, arguments: [String] = [], timeout: TimeInterval = 90) throws {
        process.executableURL = try Self.binary()
        process.arguments = ["serve", "--database", database, "--listen", "127.0.0.1:\(port)"] + arguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TALLY_") }
        environment["TALLY_LANG"] = "en"
        environment["NO_COLOR"] = "1"
        process.environment = environment
        process.currentDirectoryURL = FileManager.default.temporaryDirectory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.output.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = log
            if let range = text.range(of: #"listening on [0-9.]+:[0-9]+"#, options: .regularExpression),
               let bound = Int(text[range].split(separator: ":").last ?? "") {
                boundPort.withLock { $0 = bound }
                return
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let text = log
        kill()
        throw NSError(domain: "ServeProcess", code: 1, userInfo: [NSLocalizedDescriptionKey: "tally serve did not start; it printed:\n\(text)"])
    }

    /// The `tally` executable next to the test bundle (.build/debug/tally).
    static func binary() throws -> URL {
        let candidates = [
            Bundle(for: ServeProcess.self).bundleURL.deletingLastPathComponent().appendingPathComponent("tally"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/debug/tally"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw NSError(domain: "ServeProcess", code: 2,
                          userInfo: [NSLocalizedDescriptionKey: "tally binary not found in \(candidates.map(\.path)); run `swift build`"])
        }
        return found
    }

    /// Everything the server printed so far.
    var log: String { output.withLock { $0 } }

    /// Resident set size in KiB (from /proc), nil once the process is gone.
    var residentKiB: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }

    /// SIGKILL: no shutdown, no flush, no goodbye.
    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM and wait.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { kill() }
}
