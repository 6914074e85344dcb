import Foundation
import Synchronization
import XCTest

/// A `tally serve` process on a throwaway database, listening on a port the OS picked.
final class ServerProcess: Sendable {
    let process = Process()
    private let output = Mutex("")
    private let boundAddress = Mutex("")
    /// host:port the server listens on.
    var address: String { boundAddress.withLock { $0 } }

    /// Starts `tally serve --database CONNINFO --listen 127.0.0.1:0` and waits for its "listening on" line.
    init(database: String, timeout: TimeInterval = 90) throws {
        process.executableURL = try CLIProcess.binary()
        process.arguments = ["serve", "--database", database, "--listen", "127.0.0.1:0"]
        process.environment = CLIProcess.environment()
        process.currentDirectoryURL = CLIProcess.scratchDirectory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.output.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = log
            if let range = text.range(of: #"listening on [0-9.]+:[0-9]+"#, options: .regularExpression) {
                boundAddress.withLock { $0 = String(text[range].dropFirst("listening on ".count)) }
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
    var log: String { output.withLock { $0 } }

    /// Sends SIGTERM and waits for the exit.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
