import Foundation
import Synchronization
import TallyServerTestSupport
import TallyTestSupport
import XCTest

/// What a finished `tally` run printed and returned.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the built `tally` binary the way a user does, with a controlled environment.
enum CLIProcess {
    /// The `tally` executable next to the test bundle (.build/debug/tally).
    static func binary(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let candidates = [
            Bundle(for: Marker.self).bundleURL.deletingLastPathComponent().appendingPathComponent("tally"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/tally"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            XCTFail("tally binary not found in \(candidates.map(\.path)); run `swift build` first", file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        return found
    }

    /// An environment without the user's TALLY_* settings, English messages, no colours, a HOME
    /// inside the scratch directory (so the default embedded home is there too), and a working
    /// directory without a tally.conf.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TALLY_") }
        environment["TALLY_LANG"] = "en"
        environment["NO_COLOR"] = "1"
        environment["HOME"] = scratchDirectory.path
        environment.removeValue(forKey: "XDG_CONFIG_HOME")
        environment.removeValue(forKey: "XDG_DATA_HOME")
        return environment.merging(extra) { $1 }
    }

    /// A directory of this test run (no tally.conf unless a test writes one). It is removed when
    /// the test bundle finishes, so a run leaves nothing in the temporary directory.
    static var scratchDirectory: URL {
        ScratchDirectory.shared.url
    }

    /// A new empty directory inside the scratch directory.
    static func freshDirectory(_ name: String) throws -> URL {
        let url = scratchDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A `tally serve` with `arguments` on a fresh database, and a token of `role` (for `department`)
    /// made directly in that database. The caller stops the server.
    static func serve(_ arguments: [String], role: String, department: String? = nil) throws
        -> (server: ServeProcess, token: String, database: String)
    {
        let database = try TestDatabase.fresh().conninfo
        let server = try ServeProcess(database: database, extraArguments: arguments, environment: environment(),
                                      directory: scratchDirectory)
        let created = try run(["credential", "create", "--database", database, "--name", role, "--role", role, "--token-only"]
                              + (department.map { ["--department", $0] } ?? []))
        XCTAssertEqual(created.status, 0, created.stderr)
        return (server, created.stdout.trimmingCharacters(in: .whitespacesAndNewlines), database)
    }

    /// Runs `tally arguments...` to completion.
    static func run(_ arguments: [String], environment extra: [String: String] = [:], directory: URL? = nil,
                    timeout: TimeInterval = 60) throws -> CLIResult {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.environment = environment(extra)
        process.currentDirectoryURL = directory ?? scratchDirectory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let collector = OutputCollector()
        let group = DispatchGroup()
        for (handle, isOut) in [(out.fileHandleForReading, true), (err.fileHandleForReading, false)] {
            group.enter()
            DispatchQueue.global().async {
                let data = handle.readDataToEndOfFile()
                collector.set(data, stdout: isOut)
                group.leave()
            }
        }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            XCTFail("tally \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: collector.stdout, stderr: collector.stderr)
    }
}

/// Collects the two output streams of a process.
final class OutputCollector: Sendable {
    private let output = Mutex((out: Data(), err: Data()))

    func set(_ data: Data, stdout: Bool) {
        output.withLock { if stdout { $0.out = data } else { $0.err = data } }
    }

    var stdout: String { output.withLock { String(decoding: $0.out, as: UTF8.self) } }
    var stderr: String { output.withLock { String(decoding: $0.err, as: UTF8.self) } }
}

private final class Marker {}

/// The run's scratch directory: made on first use (world-traversable, so an embedded cluster made
/// inside it as the `postgres` user can reach its data), removed when the test bundle finishes.
final class ScratchDirectory: NSObject, XCTestObservation, @unchecked Sendable {   // `url` is immutable
    static let shared = ScratchDirectory()
    let url: URL

    private override init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tally-cli-tests-\(getpid())")
        super.init()
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o755])
        XCTestObservationCenter.shared.addTestObserver(self)
    }

    func testBundleDidFinish(_ testBundle: Bundle) {
        try? FileManager.default.removeItem(at: url)
    }
}
