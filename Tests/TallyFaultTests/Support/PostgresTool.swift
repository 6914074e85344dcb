import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a PostgreSQL tool (pg_ctl, pg_basebackup) from `binDirectory`, as `postgres` when root.
enum PostgresTool {
    static func run(_ binDirectory: String, _ tool: String, _ arguments: [String]) throws {
        let process = Process()
        let path = binDirectory + "/" + tool
        if getuid() == 0 {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", "postgres", "--", path] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
        }
        let output = NSTemporaryDirectory() + "tally-fault-tool-\(UUID().uuidString).log"
        guard FileManager.default.createFile(atPath: output, contents: nil) else {
            throw NSError(domain: "PostgresTool", code: 1, userInfo: [NSLocalizedDescriptionKey: "cannot create \(output)"])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        defer {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: output)
        }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw NSError(domain: "PostgresTool", code: Int(process.terminationStatus), userInfo: [
                NSLocalizedDescriptionKey: "\(tool) \(arguments.joined(separator: " ")) failed: \(text)"])
        }
    }

    /// A new 0755 temporary directory, owned by `postgres` when root (so a cluster can live in it).
    static func makeDirectory(_ prefix: String) throws -> String {
        var template = Array((NSTemporaryDirectory() + "/\(prefix)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw NSError(domain: "PostgresTool", code: Int(errno)) }
        let directory = String(cString: made)
        chmod(directory, 0o755)
        if getuid() == 0, let user = getpwnam("postgres") {
            chown(directory, user.pointee.pw_uid, user.pointee.pw_gid)
        }
        return directory
    }
}
