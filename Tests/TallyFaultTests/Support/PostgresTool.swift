import Foundation
import TallyStore

#if canImport(Glibc)
    import Glibc
#endif

/// PostgreSQL tools and directories for the clusters the fault tests make themselves.
enum PostgresTool {
    /// Runs `tool` (pg_ctl, pg_basebackup, initdb) from `binDirectory`, as `postgres` when root.
    static func run(_ binDirectory: String, _ tool: String, _ arguments: [String]) throws {
        try LocalCluster.runTool(tool, in: binDirectory, arguments)
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
