import Foundation
import Synchronization
import Glibc

/// CPU time and memory of a process, read from /proc (Linux).
struct ProcessStats: Sendable {
    /// User plus system CPU time, in seconds.
    var cpuSeconds: Double
    /// Resident set size now, in KiB (VmRSS).
    var rssKiB: Int
    /// Peak resident set size, in KiB (VmHWM).
    var peakRSSKiB: Int

    /// Reads the stats of `pid`; nil when the process is gone or /proc is not there.
    static func read(pid: Int32) -> ProcessStats? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after "(comm)": state is field 3, utime field 14, stime field 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ProcessStats(cpuSeconds: (user + system) / ticks, rssKiB: kib(status, "VmRSS:"),
                            peakRSSKiB: kib(status, "VmHWM:"))
    }

    private static func kib(_ status: String, _ key: String) -> Int {
        for line in status.split(separator: "\n") where line.hasPrefix(key) {
            return Int(line.dropFirst(key.count).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") ?? 0
        }
        return 0
    }

    /// "12.3 MB" from KiB.
    static func megabytes(_ kib: Int) -> String {
        String(format: "%.1f MB", Double(kib) / 1024)
    }
}

/// Samples a process's RSS in the background and keeps the largest value seen.
final class RSSSampler: Sendable {
    private let pid: Int32
    private let sample = Mutex((peak: 0, stopped: false))

    init(pid: Int32) {
        self.pid = pid
    }

    /// Starts sampling every `interval` seconds on a thread of its own.
    func start(interval: Double = 0.05) {
        let thread = Thread { [self] in
            while !sample.withLock({ $0.stopped }) {
                if let stats = ProcessStats.read(pid: pid) {
                    sample.withLock { $0.peak = max($0.peak, stats.rssKiB) }
                }
                Thread.sleep(forTimeInterval: interval)
            }
        }
        thread.start()
    }

    /// Stops sampling; returns the largest RSS seen, in KiB.
    func stop() -> Int {
        sample.withLock {
            $0.stopped = true
            return $0.peak
        }
    }
}
