import Foundation
import TallyStore
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// A cluster whose data directory lives on a small tmpfs of its own, which the test can fill up and
/// free again. WAL lives on the ordinary disk (initdb --waldir), as on servers with a WAL volume of
/// its own: a full data volume then fails statements with 53100, where a full WAL volume would stop
/// PostgreSQL altogether. Needs root (mount); the test fails, with this message, when it cannot mount.
final class SmallDiskCluster: @unchecked Sendable {  // immutable after init
    let base: String
    let mountPoint: String
    let own: OwnCluster
    private var fillerPath: String { mountPoint + "/filler" }

    init(megabytes: Int = 96) throws {
        base = try PostgresTool.makeDirectory("tally-diskfull")
        mountPoint = base + "/volume"
        let wal = base + "/wal"
        for directory in [mountPoint, wal] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        }
        try Self.mountTmpfs(mountPoint, megabytes: megabytes)
        do {
            for directory in [mountPoint, wal] { try Self.giveToPostgres(directory) }
            let binDirectory = try LocalCluster.findBinDirectory()
            try PostgresTool.run(binDirectory, "initdb", [
                "-D", mountPoint + "/data", "--waldir", wal + "/pg_wal", "-U", "postgres", "--auth=trust",
                "-E", "UTF8", "--locale=C.UTF-8",
            ])
            let cluster = try LocalCluster.create(directory: mountPoint, port: LocalCluster.freePort(), fsync: true)
            try cluster.start()
            try cluster.createDatabase("tally")
            own = OwnCluster(started: cluster)
        } catch {
            _ = umount2(mountPoint, Int32(MNT_DETACH))
            try? FileManager.default.removeItem(atPath: base)
            throw error
        }
    }

    var database: PostgresConfiguration { own.database }

    /// Fills the volume: a file grows until the filesystem has not one free page left.
    func fill() throws -> Int {
        let descriptor = open(fillerPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw Self.error("cannot create \(fillerPath) (errno \(errno))") }
        defer { close(descriptor) }
        var written = 0
        for chunk in [1 << 20, 4096] {
            let zeros = [UInt8](repeating: 0, count: chunk)
            while true {
                let count = zeros.withUnsafeBytes { write(descriptor, $0.baseAddress, chunk) }
                if count > 0 {
                    written += count
                    continue
                }
                if count < 0 && errno == EINTR { continue }
                guard count < 0 && errno == ENOSPC else { throw Self.error("filling the volume: errno \(errno)") }
                break
            }
        }
        return written
    }

    /// Frees the space the filler took.
    func free() throws {
        try FileManager.default.removeItem(atPath: fillerPath)
    }

    /// Stops PostgreSQL, unmounts the volume and deletes everything.
    func destroy() {
        try? own.stop(mode: "immediate")
        _ = umount2(mountPoint, Int32(MNT_DETACH))
        try? FileManager.default.removeItem(atPath: base)
    }

    private static func mountTmpfs(_ path: String, megabytes: Int) throws {
        // mount(2): 0 on success; -1 with EPERM when not root (or without CAP_SYS_ADMIN).
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(megabytes)m,mode=0755") == 0 else {
            let code = errno
            throw error("""
                cannot mount a \(megabytes) MB tmpfs at \(path) (errno \(code): \(String(cString: strerror(code)))); \
                the disk-full test needs root (or CAP_SYS_ADMIN) to give PostgreSQL a volume it can fill
                """)
        }
    }

    private static func giveToPostgres(_ path: String) throws {
        guard getuid() == 0 else { return }
        guard let user = getpwnam("postgres") else { throw error("running as root but there is no postgres user") }
        guard chown(path, user.pointee.pw_uid, user.pointee.pw_gid) == 0, chmod(path, 0o755) == 0 else {
            throw error("cannot give \(path) to postgres (errno \(errno))")
        }
    }

    private static func error(_ message: String) -> NSError {
        NSError(domain: "SmallDiskCluster", code: 1, userInfo: [NSLocalizedDescriptionKey: message])
    }
}
