import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Files recording which test process owns which throwaway cluster, so a later run can stop
/// clusters left behind by a crashed (or killed) run.
enum ClusterRegistry {
    static let directory = NSTemporaryDirectory() + "/tally-test-clusters"

    /// Records that this process owns the cluster in `clusterDirectory`; returns the record's path.
    static func record(directory clusterDirectory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        chmod(directory, 0o1777)
        let path = "\(directory)/\(getpid())-\(UUID().uuidString).cluster"
        let text = "owner=\(getpid())\ndirectory=\(clusterDirectory)\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Stops and deletes every recorded cluster whose owning process is gone.
    static func stopLeftoverClusters() {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for file in files where file.hasSuffix(".cluster") {
            let path = "\(directory)/\(file)"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            var fields: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { fields[parts[0]] = parts[1] }
            }
            guard let owner = fields["owner"].flatMap({ Int32($0) }), let clusterDirectory = fields["directory"] else {
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            if isAlive(owner) { continue }
            kill(serverPID: serverPID(dataDirectory: clusterDirectory + "/data"))
            try? FileManager.default.removeItem(atPath: clusterDirectory)
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    static func serverPID(dataDirectory: String) -> Int32? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
            let first = text.split(separator: "\n").first
        else { return nil }
        return Int32(first.trimmingCharacters(in: .whitespaces))
    }

    /// Asks a postmaster to shut down fast (SIGINT), then kills it (SIGKILL) after 10 s.
    /// Only signals the process when it is a postgres server (guards against reused pids).
    static func kill(serverPID: Int32?) {
        guard let pid = serverPID, pid > 0, isPostgres(pid) else { return }
        _ = Glibc.kill(pid, SIGINT)
        for _ in 0..<200 {
            if !isAlive(pid) { return }
            usleep(50_000)
        }
        _ = Glibc.kill(pid, SIGKILL)
    }

    /// True when `pid` exists and is not a zombie (a killed test process may linger unreaped).
    static func isAlive(_ pid: Int32) -> Bool {
        guard Glibc.kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).prefix(1)
        return state != "Z" && state != "X"
    }

    private static func isPostgres(_ pid: Int32) -> Bool {
        guard let name = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8) else { return true }
        return name.hasPrefix("postgres")
    }
}
