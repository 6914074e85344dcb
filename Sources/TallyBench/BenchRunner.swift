import Foundation

/// Runs `tally bench`: sets up the database and the bench departments, runs the phases the mode
/// asks for, prints every figure, checks correctness, and prints the targets table.
public struct BenchRunner: Sendable {
    public let configuration: BenchConfiguration

    public init(configuration: BenchConfiguration) {
        self.configuration = configuration
    }

    /// Runs the benchmark; throws a ``BenchError`` with `isCheckFailure` when a correctness check failed.
    public func run() async throws {
        let report = BenchReport()
        let mode = configuration.mode
        report.say("tally bench: mode \(mode.rawValue), \(configuration.duration) s per phase, "
                   + "\(ProcessInfo.processInfo.activeProcessorCount) CPUs")
        let database = try BenchDatabase(conninfo: configuration.database) { report.say("  " + $0) }
        let tls = configuration.tls && configuration.server == nil ? try BenchTLS.make() : nil
        // Plaintext first, then (with --tls) the same phase over TLS.
        let transports: [BenchTLS?] = [nil] + (tls.map { [$0] } ?? [])
        do {
            if mode == .updates || mode == .all { try await updates(database, report, transports) }
            if mode == .ping || mode == .all { try await ping(database, report, transports) }
            if mode == .stream || mode == .all { try await stream(database, report) }
            if mode == .idle || mode == .all { try await idle(database, report, transports) }
            if tls != nil { try await handshakes(database, report, transports) }
        } catch {
            database.close()
            tls?.remove()
            throw error
        }
        database.close()
        tls?.remove()
        report.printSummary()
        if !report.failures.isEmpty {
            throw BenchError("\(report.failures.count) correctness check(s) failed", checkFailure: true)
        }
    }

    /// The baseline and Tally's updates phase, `configuration.rounds` times in alternation; with more
    /// than one round, Tally / baseline is judged over all rounds (``reportRounds(_:_:)``).
    private func updates(_ database: BenchDatabase, _ report: BenchReport, _ transports: [BenchTLS?]) async throws {
        let plan = try BenchPlan.create(count: configuration.departments, database: database)
        let rounds = configuration.rounds
        var rates: [String: [(baseline: Double, tally: Double)]] = [:]
        for round in 1...rounds {
            let label = roundLabel(rounds > 1 ? round : nil)
            var baselineRate: Double?
            if !configuration.skipBaseline {
                try database.settle()
                report.section("Baseline\(label): \(configuration.departments) libpq connections, per update one transaction "
                               + "(UPDATE targets + INSERT into a log table with a bigserial key and a unique request id), no Tally")
                baselineRate = try await baseline(.plainSQL, "baseline", plan, database, report)
            }
            for tls in transports {
                let suffix = tls == nil ? "" : ", TLS"
                try database.settle()
                let rate = try await updates(plan, database, report, tls: tls, baselineRate: baselineRate,
                                             round: rounds > 1 ? round : nil)
                if let baselineRate { rates[suffix, default: []].append((baselineRate, rate)) }
            }
        }
        if rounds > 1 { reportRounds(rates, report) }
        // After the rounds, so that each Tally phase follows its own baseline round and nothing else.
        if !configuration.skipBaseline {
            try database.settle()
            report.section("Tally's writer statement, one command per transaction (the lone report's prepared "
                           + "statement; Tally without group commit, not a baseline)")
            _ = try await baseline(.writerStatement, "writer statement", plan, database, report)
        }
    }

    /// One updates phase; returns its rate. With `round`, the ratio to the baseline is printed but
    /// judged over all rounds, and the other goals are named by their round.
    private func updates(_ plan: BenchPlan, _ database: BenchDatabase, _ report: BenchReport, tls: BenchTLS?,
                         baselineRate: Double?, round: Int? = nil) async throws -> Double {
        let targets = plan.departments.map(\.target)
        let target = try await BenchTarget.open(configuration, database: database, tls: tls)
        report.section("Tally over \(target.transport)\(roundLabel(round)): \(configuration.departments) department connections, \(configuration.watchers) watchers")
        let suffix = (tls == nil ? "" : ", TLS") + (round.map { ", round \($0)" } ?? "")
        let rate: Double
        do {
            let before = try database.figures(targets)
            let head = try database.headSequence()
            let statsBefore = target.stats
            let writerBefore = await target.writerStatistics()
            let cpuBefore = CPUAccount.now(postmaster: database.postmasterPID)
            let result = try await UpdatesPhase.run(plan: plan, target: target,
                                                    duration: configuration.duration,
                                                    watchers: configuration.watchers, startSequence: head)
            let statsAfter = target.stats
            let cpuAfter = CPUAccount.now(postmaster: database.postmasterPID)
            let writerAfter = await target.writerStatistics()
            report.line("updates/s", BenchReport.rate(result.rate) + "  (\(result.acknowledged) in \(String(format: "%.1f", result.seconds)) s)")
            if let baselineRate {
                report.line("Tally / baseline", String(format: "%.2f×", result.rate / baselineRate))
                if round == nil { ratioGoal(result.rate / baselineRate, suffix, report) }
            }
            report.line("latency", result.latency.summary)
            report.goal("update latency p99\(suffix)", Latency.format(result.latency.percentile(99)), "≤ 25 ms",
                        met: result.latency.percentile(99) <= 25_000)
            report.line("ack → watcher delay", "p50 \(Latency.format(result.watcherDelay.percentile(50)))  p99 \(Latency.format(result.watcherDelay.percentile(99)))  max \(Latency.format(result.watcherDelay.max))  (\(result.watcherDelay.count) deliveries)")
            report.goal("ack → watcher delay p99 (\(configuration.watchers) watchers)\(suffix)",
                        Latency.format(result.watcherDelay.percentile(99)), "≤ 5 ms",
                        met: result.watcherDelay.percentile(99) <= 5000)
            if let writerBefore, let writerAfter, writerAfter.batches > writerBefore.batches {
                let batches = writerAfter.batches - writerBefore.batches
                let commands = writerAfter.commands - writerBefore.commands
                report.line("group commit", "\(batches) batches, mean \(String(format: "%.1f", Double(commands) / Double(batches))) commands per commit")
            }
            printServerStats(statsBefore, statsAfter, seconds: result.seconds, updates: result.acknowledged, report)
            if let process = target.process {
                report.line("server log", "\(process.loggedLines) JSON lines so far, a line per write at info, as deploy/tally.service logs")
            }
            report.line("other CPU", cpuAfter.since(cpuBefore, seconds: result.seconds, updates: result.acknowledged))
            if result.failures > 0 { report.fail("tally: \(result.failures) failed updates, first: \(result.firstFailure ?? "")") }
            try checkFigures(database, targets, before: before, acknowledged: result.perTarget, "tally", report)
            let headAfter = try database.headSequence()
            if target.process != nil, headAfter - head != Int64(result.acknowledged) {
                report.fail("tally: the change log grew by \(headAfter - head) entries for \(result.acknowledged) acknowledged updates")
            }
            checkWatchers(result, report)
            rate = result.rate
        } catch {
            await target.close()
            throw error
        }
        await target.close()
        return rate
    }

    /// Runs one direct phase, prints its figures and checks its sums; returns its rate.
    private func baseline(_ kind: BaselinePhase.Kind, _ name: String, _ plan: BenchPlan, _ database: BenchDatabase,
                          _ report: BenchReport) async throws -> Double {
        let targets = plan.departments.map(\.target)
        let before = try database.figures(targets)
        let result = try await BaselinePhase.run(kind, plan: plan, database: database, duration: configuration.duration)
        report.line("updates/s", BenchReport.rate(result.rate) + "  (\(result.acknowledged) in \(String(format: "%.1f", result.seconds)) s)")
        report.line("latency", result.latency.summary)
        report.line("other CPU", result.otherCPU)
        if result.failures > 0 { report.fail("\(name): \(result.failures) failed updates, first: \(result.firstFailure ?? "")") }
        try checkFigures(database, targets, before: before, acknowledged: result.perTarget, name, report)
        return result.rate
    }

    private func checkFigures(_ database: BenchDatabase, _ targets: [String], before: [String: Int],
                              acknowledged: [String: Int], _ phase: String, _ report: BenchReport) throws {
        let after = try database.figures(targets)
        var wrong = 0
        for id in targets {
            let expected = (before[id] ?? 0) + (acknowledged[id] ?? 0)
            if after[id] != expected {
                wrong += 1
                if wrong <= 3 { report.fail("\(phase): target \(id) holds \(after[id] ?? -1), expected \(expected)") }
            }
        }
        if wrong == 0 {
            report.line("database check", "every target holds exactly its acknowledged increments")
        } else {
            report.fail("\(phase): \(wrong) of \(targets.count) targets do not match their acknowledged increments")
        }
    }

    private func checkWatchers(_ result: UpdatesPhase.Result, _ report: BenchReport) {
        let expected = result.lastSequence - result.firstSequence + 1
        var good = 0
        for watcher in result.watchers {
            var problems: [String] = []
            if let error = watcher.streamError { problems.append("stream ended: \(error)") }
            if watcher.outOfOrder > 0 { problems.append("\(watcher.outOfOrder) changes out of order (\(watcher.firstProblem ?? ""))") }
            if Int64(watcher.received.count) != expected || watcher.lastSequence != result.lastSequence {
                problems.append("received \(watcher.received.count) of \(expected) changes, up to \(watcher.lastSequence) of \(result.lastSequence)")
            }
            if problems.isEmpty { good += 1 } else { report.fail("watcher \(watcher.index): " + problems.joined(separator: "; ")) }
        }
        if good == result.watchers.count {
            report.line("watcher check", "all \(good) watchers saw every change \(result.firstSequence)…\(result.lastSequence) once, in order")
        }
    }

    func printServerStats(_ before: ProcessStats?, _ after: ProcessStats?, seconds: Double, updates: Int? = nil,
                          _ report: BenchReport) {
        guard let before, let after else {
            report.line("server CPU / RSS", "not measured (running server)")
            return
        }
        let cpu = after.cpuSeconds - before.cpuSeconds
        var perUpdate = ""
        if let updates, updates > 0 { perUpdate = String(format: ", %.0f µs per update", 1e6 * cpu / Double(updates)) }
        report.line("server CPU", String(format: "%.2f s (%.0f%% of one core", cpu, 100 * cpu / seconds) + perUpdate + ")")
        report.line("server RSS", "now \(ProcessStats.megabytes(after.rssKiB)), peak \(ProcessStats.megabytes(after.peakRSSKiB))")
    }
}
