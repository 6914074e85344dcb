import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program with posix_spawn, closing every descriptor above 2 in the child. Needed for
/// `pg_ctl start`: the server it leaves running would otherwise inherit Foundation.Process's
/// internal socket, and `waitUntilExit` would then wait for the server instead of pg_ctl.
enum Spawn {
    /// Runs `path arguments...` (as `postgres` through runuser when `asPostgres` and root), output
    /// appended to `outputFile`; returns the exit status and that output.
    static func run(_ path: String, _ arguments: [String], asPostgres: Bool) throws(CLIError) -> (status: Int32, output: String) {
        var argv = [path] + arguments
        if asPostgres && getuid() == 0 { argv = ["/usr/sbin/runuser", "-u", "postgres", "--"] + argv }
        let outputFile = NSTemporaryDirectory() + "tally-spawn-\(getpid())-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: outputFile) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        for fd in openDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }

        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else {
            throw CLIError(.database, "cannot run \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (exitStatus, output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The descriptors open in this process, from /proc/self/fd.
    private static func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }
}
