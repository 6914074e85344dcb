import Foundation

/// The RPC-only phases: ping, stream and idle connections.
extension BenchRunner {
    func ping(_ database: BenchDatabase, _ report: BenchReport) async throws {
        let target = try await BenchTarget.open(configuration, database: database)
        for callers in [1, configuration.callers] {
            report.section("Ping: Health/Check from \(callers) concurrent caller(s), one connection each")
            let before = target.stats
            let result = try await PingPhase.run(host: target.host, port: target.port, callers: callers,
                                                 duration: configuration.duration)
            report.line("calls/s", BenchReport.rate(result.rate))
            report.line("latency", result.latency.summary)
            printServerStats(before, target.stats, seconds: result.seconds, report)
            if result.failures > 0 { report.fail("ping: \(result.failures) failed calls, first: \(result.firstFailure ?? "")") }
            if callers == 1 {
                report.goal("ping, 1 caller, p50", Latency.format(result.latency.percentile(50)), "≤ 200 µs",
                            met: result.latency.percentile(50) <= 200)
            } else {
                report.goal("ping, \(callers) callers, calls/s", BenchReport.rate(result.rate), "≥ 25,000",
                            met: result.rate >= 25_000)
            }
        }
        await target.close()
    }

    func stream(_ database: BenchDatabase, _ report: BenchReport) async throws {
        let target = try await BenchTarget.open(configuration, database: database)
        report.section("Stream: one watcher reading small messages as fast as it can")
        let before = target.stats
        let fast = await StreamPhase.run(host: target.host, port: target.port, duration: configuration.duration)
        report.line("messages/s", BenchReport.rate(fast.rate) + "  (\(fast.messages) in \(String(format: "%.1f", fast.seconds)) s)")
        printServerStats(before, target.stats, seconds: fast.seconds, report)
        if let error = fast.error { report.fail("stream: \(error)") }
        if fast.outOfOrder > 0 { report.fail("stream: \(fast.outOfOrder) messages out of order") }
        report.goal("stream, one watcher, messages/s", BenchReport.rate(fast.rate), "≥ 300,000", met: fast.rate >= 300_000)
        await target.close()

        // A fresh server, so that its peak RSS is the slow reader's alone.
        let slowTarget = try await BenchTarget.open(configuration, database: database)
        report.section("Stream: one watcher reading slowly (4 KiB every 10 ms) for \(configuration.slowReaderSeconds) s")
        let rssBefore = slowTarget.stats?.rssKiB ?? 0
        let sampler = slowTarget.process.map { RSSSampler(pid: $0.pid) }
        sampler?.start()
        let slow = await SlowReader.run(port: slowTarget.port, seconds: configuration.slowReaderSeconds)
        let peak = sampler?.stop() ?? 0
        report.line("bytes read", "\(slow.bytesRead)")
        if let error = slow.error { report.fail("slow reader: \(error)") }
        if slowTarget.process != nil {
            report.line("server RSS", "before \(ProcessStats.megabytes(rssBefore)), peak while reading slowly \(ProcessStats.megabytes(peak))")
            report.goal("server RSS with a slow watcher", ProcessStats.megabytes(peak), "< 64 MB", met: peak < 64 * 1024)
        }
        await slowTarget.close()
    }

    func idle(_ database: BenchDatabase, _ report: BenchReport) async throws {
        let target = try await BenchTarget.open(configuration, database: database)
        guard let process = target.process else {
            report.section("Idle: skipped (needs a server started by the benchmark)")
            return
        }
        report.section("Idle: \(configuration.connections) connections open, each after one Health/Check")
        let result = await IdlePhase.run(server: process, connections: configuration.connections)
        report.line("server RSS", "before \(ProcessStats.megabytes(result.rssBeforeKiB)), with the connections \(ProcessStats.megabytes(result.rssAfterKiB))")
        if result.failures > 0 { report.fail("idle: \(result.failures) connections failed, first: \(result.firstFailure ?? "")") }
        report.goal("server RSS, \(configuration.connections) idle connections", ProcessStats.megabytes(result.rssAfterKiB),
                    "< 100 MB", met: result.rssAfterKiB < 100 * 1024)
        await target.close()
    }
}
