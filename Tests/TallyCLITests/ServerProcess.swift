import Foundation
import XCTest

/// A `tally serve` process on a throwaway database, listening on a port the OS picked.
final class ServerProcess: @unchecked Sendable {   // `output` is guarded by `lock`
    let process = Process()
    private let lock = NSLock()
    private var output = ""
    private(set) var address = ""

    /// Starts `tally serve --database CONNINFO --listen 127.0.0.1:0` (plus `extraArguments`) and waits
    /// for its "listening on" line; `address` is then `HOST:PORT` or, with TLS, `tallys://HOST:PORT`.
    init(database: String, extraArguments: [String] = [], timeout: TimeInterval = 90) throws {
        process.executableURL = try CLIProcess.binary()
        process.arguments = ["serve", "--database", database, "--listen", "127.0.0.1:0"] + extraArguments
        process.environment = CLIProcess.environment()
        process.currentDirectoryURL = CLIProcess.scratchDirectory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock(); self.output += String(decoding: data, as: UTF8.self); self.lock.unlock()
        }
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = log
            if let range = text.range(of: #"listening on (tallys://)?[0-9.]+:[0-9]+"#, options: .regularExpression) {
                address = String(text[range].dropFirst("listening on ".count))
                return
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let text = log
        stop()
        XCTFail("tally serve did not start listening; it printed:\n\(text)")
        throw CocoaError(.executableLoad)
    }

    /// Everything the server printed so far.
    var log: String { lock.lock(); defer { lock.unlock() }; return output }

    /// Sends SIGTERM and waits for the exit.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
