import Foundation
import Glibc
import SwiftProtobuf
import TallyMessages
import TallyRPC
import TallyWire

/// A Tally server run as a child process (this same executable, `bench --serve-child`), so that its
/// CPU time and memory are measured apart from the load generator's. The child stops when its
/// standard input closes, so it never outlives the benchmark.
///
/// The child logs as the deployed server does (deploy/tally.service: `--log-format json`, a line
/// per write at info), into a file of its own that is removed when it stops: what the log costs is
/// part of what is measured.
final class ServerProcess: Sendable {
    let port: Int
    private let process: Process
    private let stdin: Pipe
    /// Where the child's standard error (its log) goes.
    let logPath: String

    /// The TLS clients use with this child; nil when it serves plaintext.
    let tls: TLSClientConfiguration?

    /// Starts the child on a free port of 127.0.0.1 (with TLS when `tls` is given) and waits until
    /// it answers Health/Check.
    init(executable: String, database: String, tls: BenchTLS? = nil) async throws {
        port = try Self.freePort()
        process = Process()
        stdin = Pipe()
        self.tls = tls?.client
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["bench", "--serve-child", "--database", database, "--listen", "127.0.0.1:\(port)"]
        if let tls { process.arguments? += ["--tls-cert", tls.certificateFile, "--tls-key", tls.keyFile] }
        process.standardInput = stdin
        logPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("tally-bench-server-\(getpid())-\(port).log").path
        guard FileManager.default.createFile(atPath: logPath, contents: nil),
              let log = FileHandle(forWritingAtPath: logPath) else {
            throw BenchError("cannot create the server child's log \(logPath)")
        }
        process.standardError = log
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(atPath: logPath)
            throw BenchError("cannot start the server child \(executable): \(error)")
        }
        try? log.close()
        do {
            try await waitUntilServing()
        } catch {
            let tail = (try? String(contentsOfFile: logPath, encoding: .utf8))?.split(separator: "\n").suffix(5) ?? []
            try? FileManager.default.removeItem(atPath: logPath)
            throw BenchError("\(error)" + (tail.isEmpty ? "" : "; its log ends:\n" + tail.joined(separator: "\n")))
        }
    }

    /// Lines the child has logged so far (a line per write at info, as deployed).
    var loggedLines: Int {
        guard let data = FileManager.default.contents(atPath: logPath) else { return 0 }
        return data.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }

    /// The child's process id.
    var pid: Int32 { process.processIdentifier }

    /// The child's CPU time and memory now.
    var stats: ProcessStats? { ProcessStats.read(pid: pid) }

    /// Asks the child to stop (closes its stdin), waits up to 20 s, then kills it.
    func stop() async {
        try? stdin.fileHandleForWriting.close()
        for _ in 0..<200 where process.isRunning {
            try? await Task.sleep(for: .milliseconds(100))
        }
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: logPath)
    }

    private func waitUntilServing() async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw BenchError("the server child exited with status \(process.terminationStatus) before serving")
            }
            var configuration = ClientConfiguration(host: "127.0.0.1", port: port)
            configuration.tls = tls
            let client = RPCClient(configuration: configuration)
            let ok = (try? await client.unary(Tally_V1_Health.Method.check, Google_Protobuf_Empty(),
                                              timeout: .seconds(1))) != nil
            await client.close()
            if ok { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        await stop()
        throw BenchError("the server child did not answer Health/Check within 60 s")
    }

    /// A port of 127.0.0.1 that was free a moment ago (bound to 0, read back, closed).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Int32 in
                guard bind(fd, raw, length) == 0 else { return -1 }
                return getsockname(fd, raw, &length)
            }
        }
        guard bound == 0 else { throw BenchError("cannot find a free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
