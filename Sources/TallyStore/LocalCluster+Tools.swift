import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Running the PostgreSQL tools (initdb, pg_ctl) with Foundation's Process.
extension LocalCluster {
    /// The exit status and combined stdout+stderr of a finished tool.
    struct ToolOutput {
        var status: Int32
        var output: String
    }

    /// True when this process runs as root, so the tools must run as `postgres`.
    static var isRoot: Bool { getuid() == 0 }

    /// Closes every descriptor above 2, then execs its arguments. Foundation's Process (Linux)
    /// learns that a child ended when the child's end of a socketpair closes; a daemon started
    /// by the child (the postmaster) would inherit that end and make `waitUntilExit` wait forever.
    static let closeDescriptorsScript =
        #"for fd in /proc/$$/fd/*; do fd=${fd##*/}; if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi; done; exec "$@""#

    /// Runs `tool` (a full path) with `arguments`, as the `postgres` user when `asPostgres`.
    /// Output goes to a temporary file rather than a pipe. `daemonizes` is for tools that leave a
    /// process running (pg_ctl start): they run through `closeDescriptorsScript`.
    static func run(_ tool: String, _ arguments: [String], asPostgres: Bool, daemonizes: Bool = false) throws -> ToolOutput {
        let process = Process()
        var tool = tool
        var arguments = arguments
        if daemonizes {
            arguments = ["-c", closeDescriptorsScript, "tally-spawn", tool] + arguments
            tool = "/bin/bash"
        }
        if asPostgres {
            guard let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first(where: isExecutable) else {
                throw LocalClusterError("runuser not found; it is needed to run \(tool) as postgres when running as root")
            }
            process.executableURL = URL(fileURLWithPath: runuser)
            process.arguments = ["-u", "postgres", "--", tool] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
        }
        let outputPath = NSTemporaryDirectory() + "tally-tool-\(getpid())-\(UUID().uuidString).log"
        guard FileManager.default.createFile(atPath: outputPath, contents: nil),
            let outputHandle = FileHandle(forWritingAtPath: outputPath)
        else { throw LocalClusterError("cannot create \(outputPath) for the output of \(tool)") }
        defer {
            try? outputHandle.close()
            try? FileManager.default.removeItem(atPath: outputPath)
        }
        process.standardOutput = outputHandle
        process.standardError = outputHandle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw LocalClusterError("cannot run \(tool): \(error.localizedDescription)")
        }
        process.waitUntilExit()
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return ToolOutput(status: process.terminationStatus, output: output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Runs a tool and throws, with its output, unless it exits 0.
    @discardableResult
    static func check(
        _ tool: String, _ arguments: [String], asPostgres: Bool, what: String, logFile: String? = nil, daemonizes: Bool = false
    ) throws -> String {
        let result = try run(tool, arguments, asPostgres: asPostgres, daemonizes: daemonizes)
        guard result.status == 0 else {
            var message = "\(what) failed (\((tool as NSString).lastPathComponent) exit status \(result.status))"
            if !result.output.isEmpty { message += ": \(result.output)" }
            if let logFile, let log = try? String(contentsOfFile: logFile, encoding: .utf8) {
                let tail = log.split(separator: "\n").suffix(15).joined(separator: "\n")
                if !tail.isEmpty { message += "\nserver log (\(logFile)):\n\(tail)" }
            }
            throw LocalClusterError(message)
        }
        return result.output
    }

    /// Runs PostgreSQL's `tool` (pg_ctl, pg_basebackup, initdb...) from `binDirectory`, as `postgres`
    /// when root; throws `LocalClusterError` with the tool's output unless it exits 0.
    public static func runTool(_ tool: String, in binDirectory: String, _ arguments: [String]) throws {
        try check(binDirectory + "/" + tool, arguments, asPostgres: isRoot, what: "\(tool) \(arguments.joined(separator: " "))")
    }

    static func isExecutable(_ path: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: path)
    }

    /// The directory holding initdb and pg_ctl: `pg_config --bindir`, else the newest
    /// /usr/lib/postgresql/<version>/bin, else wherever `initdb` is on PATH.
    public static func findBinDirectory() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let searchPath = path.split(separator: ":").map(String.init)
        if let pgConfig = searchPath.map({ $0 + "/pg_config" }).first(where: isExecutable),
            let result = try? run(pgConfig, ["--bindir"], asPostgres: false), result.status == 0
        {
            let directory = result.output
            if isExecutable(directory + "/initdb"), isExecutable(directory + "/pg_ctl") { return directory }
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .sorted { (Double($0) ?? 0) > (Double($1) ?? 0) }
        for version in versions {
            let directory = "\(root)/\(version)/bin"
            if isExecutable(directory + "/initdb"), isExecutable(directory + "/pg_ctl") { return directory }
        }
        for directory in searchPath where isExecutable(directory + "/initdb") && isExecutable(directory + "/pg_ctl") {
            return directory
        }
        throw LocalClusterError(
            "initdb not found (looked at `pg_config --bindir`, /usr/lib/postgresql/*/bin and PATH); install postgresql")
    }

    /// Creates `path` and any missing parents (each made traversable, 0755; `mkdtemp` directories
    /// are 0700, so `path` itself is chmod'ed too) and, when root, gives `path` to postgres.
    static func prepareDirectory(_ path: String) throws {
        var missing: [String] = []
        var cursor = (path as NSString).standardizingPath
        while !cursor.isEmpty, cursor != "/", !FileManager.default.fileExists(atPath: cursor) {
            missing.append(cursor)
            cursor = (cursor as NSString).deletingLastPathComponent
        }
        for directory in missing.reversed() {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            } catch {
                throw LocalClusterError("cannot create \(directory): \(error.localizedDescription)")
            }
            guard chmod(directory, 0o755) == 0 else {
                throw LocalClusterError("cannot chmod 755 \(directory) (errno \(errno))")
            }
        }
        guard chmod(path, 0o755) == 0 else {
            throw LocalClusterError("cannot chmod 755 \(path) (errno \(errno))")
        }
        guard isRoot else { return }
        guard let user = getpwnam("postgres") else {
            throw LocalClusterError("running as root but there is no `postgres` user to run the server as")
        }
        guard chown(path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
            throw LocalClusterError("cannot chown \(path) to postgres (errno \(errno))")
        }
    }

    /// A TCP port that was free a moment ago on 127.0.0.1 (bind port 0, read it, close).
    public static func freePort() -> Int {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return Int.random(in: 20_000..<60_000) }
        defer { _ = close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { return Int.random(in: 20_000..<60_000) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
