import Foundation
import TallyClient
import TallyMessages
import TallyRPC

/// The Tally run: D department connections each submitting increments of their own target back to
/// back, and W central watchers receiving every change, for the phase's duration.
enum UpdatesPhase {
    struct Result: Sendable {
        var acknowledged: Int
        var failures: Int
        var firstFailure: String?
        var seconds: Double
        var latency: Latency
        var perTarget: [String: Int]
        /// Acknowledgement to watcher receipt, over every watcher and change.
        var watcherDelay: Latency
        var watchers: [WatcherLog]
        var firstSequence: Int64
        var lastSequence: Int64

        var rate: Double { Double(acknowledged) / seconds }
    }

    /// What one department connection did.
    struct DepartmentLog: Sendable {
        var target: String
        var latency = Latency()
        var acknowledged = 0
        var failures = 0
        var firstFailure: String?
        /// (sequence, acknowledgement time in monotonic ns), in call order.
        var acks: [(Int64, UInt64)] = []
    }

    static func run(plan: BenchPlan, target: BenchTarget, duration: Double, watchers watcherCount: Int,
                    startSequence: Int64) async throws -> Result {
        let progress = WatchProgress(count: watcherCount)
        let watcherClients = (0..<watcherCount).map { _ in
            RPCClient(configuration: target.clientConfiguration(peerName: "tally-bench-watcher/1"))
        }
        let watcherTasks = watcherClients.enumerated().map { index, client in
            Task {
                await Watcher.run(client: client, token: plan.centralToken, index: index, after: startSequence,
                                  progress: progress)
            }
        }
        let departmentClients = plan.departments.map {
            TallyClient(host: target.host, port: target.port, token: $0.token,
                        security: target.tls.map { .tls($0) } ?? .plaintext, peerName: "tally-bench/1", callTimeout: .seconds(60))
        }
        // Connect every department before the clock starts.
        for client in departmentClients { try await client.health() }
        try await progress.waitUntilSubscribed(timeout: .seconds(30))

        let start = Monotonic.nanos()
        let deadline = start + UInt64(duration * 1e9)
        let logs = await withTaskGroup(of: DepartmentLog.self) { group in
            for (department, client) in zip(plan.departments, departmentClients) {
                group.addTask { await submitLoop(department: department, client: client, until: deadline) }
            }
            var logs: [DepartmentLog] = []
            for await log in group { logs.append(log) }
            return logs
        }
        let seconds = Double(Monotonic.nanos() - start) / 1e9
        let lastSequence = logs.flatMap { $0.acks.map(\.0) }.max() ?? startSequence
        progress.setFinal(lastSequence)
        _ = await progress.waitUntilAllReached(timeout: .seconds(30))
        for task in watcherTasks { task.cancel() }
        var watcherLogs: [WatcherLog] = []
        for task in watcherTasks { watcherLogs.append(await task.value) }
        for client in departmentClients { await client.close() }
        for client in watcherClients { await client.close() }

        var result = Result(acknowledged: 0, failures: 0, seconds: seconds, latency: Latency(), perTarget: [:],
                            watcherDelay: Latency(), watchers: watcherLogs, firstSequence: startSequence + 1,
                            lastSequence: lastSequence)
        var ackTimes: [Int64: UInt64] = [:]
        for log in logs {
            result.acknowledged += log.acknowledged
            result.failures += log.failures
            result.firstFailure = result.firstFailure ?? log.firstFailure
            result.latency.merge(log.latency)
            result.perTarget[log.target, default: 0] += log.acknowledged
            for (sequence, time) in log.acks { ackTimes[sequence] = time }
        }
        for watcher in watcherLogs {
            for (sequence, time) in watcher.received {
                guard let acked = ackTimes[sequence] else { continue }
                result.watcherDelay.record(nanos: time > acked ? time - acked : 0)
            }
        }
        return result
    }

    private static func submitLoop(department: BenchPlan.Department, client: TallyClient, until deadline: UInt64) async
        -> DepartmentLog
    {
        var log = DepartmentLog(target: department.target)
        log.acks.reserveCapacity(50_000)
        var request = Tally_V1_ReportTargetRequest()
        request.targetID = department.target
        request.increment = "1"
        while Monotonic.nanos() < deadline {
            request.requestID = UUID().uuidString
            let begin = Monotonic.nanos()
            do {
                let response = try await client.reportTarget(request)
                let end = Monotonic.nanos()
                log.latency.record(nanos: end - begin)
                log.acknowledged += 1
                log.acks.append((response.sequence, end))
            } catch {
                log.failures += 1
                if log.firstFailure == nil { log.firstFailure = "\(error)" }
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        return log
    }
}
