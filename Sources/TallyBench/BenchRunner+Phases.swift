import Foundation

/// The RPC-only phases: ping, stream and idle connections.
extension BenchRunner {
    func ping(_ database: BenchDatabase, _ report: BenchReport, _ transports: [BenchTLS?]) async throws {
        var plaintextRate: Double?
        for tls in transports {
            plaintextRate = try await ping(database, report, tls: tls, plaintextRate: plaintextRate)
        }
    }

    /// One transport's ping runs; returns the many-caller rate.
    private func ping(_ database: BenchDatabase, _ report: BenchReport, tls: BenchTLS?, plaintextRate: Double?) async throws
        -> Double
    {
        let target = try await BenchTarget.open(configuration, database: database, tls: tls)
        var manyCallerRate = 0.0
        for callers in [1, configuration.callers] {
            report.section("Ping over \(target.transport): Health/Check from \(callers) concurrent caller(s), one connection each")
            let before = target.stats
            let result = try await PingPhase.run(target: target, callers: callers, duration: configuration.duration)
            report.line("calls/s", BenchReport.rate(result.rate))
            report.line("latency", result.latency.summary)
            printServerStats(before, target.stats, seconds: result.seconds, report)
            if result.failures > 0 { report.fail("ping: \(result.failures) failed calls, first: \(result.firstFailure ?? "")") }
            if tls != nil {
                if callers > 1, let plaintextRate {
                    manyCallerRate = result.rate
                    report.goal("TLS ping, \(callers) callers, vs plaintext", String(format: "%.0f%%", 100 * result.rate / plaintextRate),
                                "≥ 80%", met: result.rate >= 0.8 * plaintextRate)
                }
            } else if callers == 1 {
                report.goal("ping, 1 caller, p50", Latency.format(result.latency.percentile(50)), "≤ 200 µs",
                            met: result.latency.percentile(50) <= 200)
            } else {
                manyCallerRate = result.rate
                report.goal("ping, \(callers) callers, calls/s", BenchReport.rate(result.rate), "≥ 25,000",
                            met: result.rate >= 25_000)
            }
        }
        await target.close()
        return manyCallerRate
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

    func idle(_ database: BenchDatabase, _ report: BenchReport, _ transports: [BenchTLS?]) async throws {
        var plaintextPerConnection: Double?
        for tls in transports {
            let target = try await BenchTarget.open(configuration, database: database, tls: tls)
            guard let process = target.process else {
                report.section("Idle: skipped (needs a server started by the benchmark)")
                return
            }
            let count = configuration.connections
            report.section("Idle over \(target.transport): \(count) connections open, each after one Health/Check")
            let result = await IdlePhase.run(target: target, server: process, connections: count)
            let perConnection = Double(result.rssAfterKiB - result.rssBeforeKiB) / Double(count)
            report.line("server RSS", "before \(ProcessStats.megabytes(result.rssBeforeKiB)), with the connections \(ProcessStats.megabytes(result.rssAfterKiB))")
            report.line("per connection", String(format: "%.1f KiB", perConnection))
            if result.failures > 0 { report.fail("idle: \(result.failures) connections failed, first: \(result.firstFailure ?? "")") }
            if let plaintextPerConnection {
                let added = perConnection - plaintextPerConnection
                report.line("TLS adds per connection", String(format: "%.1f KiB", added))
                report.goal("idle TLS connection, added memory", String(format: "%.1f KiB", added), "< 64 KiB", met: added < 64)
            } else {
                plaintextPerConnection = perConnection
                report.goal("server RSS, \(count) idle connections", ProcessStats.megabytes(result.rssAfterKiB),
                            "< 100 MB", met: result.rssAfterKiB < 100 * 1024)
            }
            await target.close()
        }
    }

    /// Time to a first answer on a new connection (connect, handshakes, one Health/Check), both ways.
    func handshakes(_ database: BenchDatabase, _ report: BenchReport, _ transports: [BenchTLS?]) async throws {
        for tls in transports {
            let target = try await BenchTarget.open(configuration, database: database, tls: tls)
            report.section("New connections over \(target.transport): connect, handshake, one Health/Check, 500 in a row")
            let result = await HandshakePhase.run(host: target.host, port: target.port, tls: target.tls, connections: 500)
            report.line("time to first answer", result.latency.summary)
            if result.failures > 0 { report.fail("handshake: \(result.failures) failed, first: \(result.firstFailure ?? "")") }
            await target.close()
        }
    }
}
