import Foundation

/// Runs a helper program (initdb, pg_ctl, psql) and collects its output.
enum Subprocess {
    struct Result: Sendable {
        var status: Int32
        var output: String
    }

    /// Whether this process runs as root (PostgreSQL's tools then run as the `postgres` user).
    static var isRoot: Bool { getuid() == 0 }

    /// Runs `executable arguments...`, as the `postgres` user when `asPostgres` and root.
    static func run(_ executable: String, _ arguments: [String], asPostgres: Bool = false) throws(CLIError) -> Result {
        let process = Process()
        if asPostgres && isRoot {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", "postgres", "--", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw CLIError(.database, "cannot run \(executable): \(error.localizedDescription)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
