import Foundation
import Glibc

/// CPU time of the processes that share the machine during a phase: the load generator (this
/// process) and every PostgreSQL process, so a report shows where the cores went.
struct CPUAccount: Sendable {
    var loadGenerator: Double
    var postgres: Double

    /// CPU seconds used so far by this process and by PostgreSQL: the postmaster given and its
    /// children (the cluster under test), or with nil every process named `postgres` on the machine.
    static func now(postmaster: Int32?) -> CPUAccount {
        let own = ProcessStats.read(pid: getpid())?.cpuSeconds ?? 0
        var postgres = 0.0
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry),
                  let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
                  comm.hasPrefix("postgres")
            else { continue }
            if let postmaster, pid != postmaster, parent(of: pid) != postmaster { continue }
            postgres += ProcessStats.read(pid: pid)?.cpuSeconds ?? 0
        }
        return CPUAccount(loadGenerator: own, postgres: postgres)
    }

    private static func parent(of pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    /// "load generator 1.2 s (60% of one core, 250 µs per update), PostgreSQL 0.8 s (40%, 170 µs per
    /// update)" for the time since `start`; the per-update figures when `updates` is given.
    func since(_ start: CPUAccount, seconds: Double, updates: Int? = nil) -> String {
        let load = loadGenerator - start.loadGenerator
        let database = postgres - start.postgres
        func perUpdate(_ cpu: Double) -> String {
            guard let updates, updates > 0 else { return "" }
            return String(format: ", %.0f µs per update", 1e6 * cpu / Double(updates))
        }
        return String(format: "load generator %.2f s (%.0f%%", load, 100 * load / seconds) + perUpdate(load)
            + String(format: "), PostgreSQL %.2f s (%.0f%%", database, 100 * database / seconds) + perUpdate(database) + ")"
    }
}
