import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// A `tally serve` process (the real binary) on a given database and address.
final class ServeProcess: @unchecked Sendable {  // `output` guarded by `lock`
    let process = Process()
    private let lock = NSLock()
    private var output = ""
    private(set) var port = 0

    /// Starts `tally serve --database CONNINFO --listen HOST:PORT` (0 = any) with `extraArguments`, inside
    /// network namespace `namespace` if given (`ip netns exec`), and waits until it listens.
    init(database: String, host: String = "127.0.0.1", port: Int = 0, extraArguments: [String] = [],
         namespace: String? = nil, timeout: TimeInterval = 90) throws {
        let arguments = ["serve", "--database", database, "--listen", "\(host):\(port)"] + extraArguments
        if let namespace {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
            process.arguments = ["netns", "exec", namespace, try Self.binary().path] + arguments
        } else {
            process.executableURL = try Self.binary()
            process.arguments = arguments
        }
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
            self.lock.withLock { self.output += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = log
            if let range = text.range(of: #"listening on (tallys://)?[0-9.]+:[0-9]+"#, options: .regularExpression),
               let bound = Int(text[range].split(separator: ":").last ?? "") {
                self.port = bound
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
    var log: String { lock.withLock { output } }

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
