import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyStore
import TallyWire
import TallyServerTestSupport
import XCTest

/// Several servers on one database, many callers, the same targets: every increment is accepted
/// (no deadlock or serialization failure reaches a client), every sum is exact, and every watcher on
/// every server sees one gap-free sequence. Repeated, because a deadlock is a matter of timing.
final class WriterMultiServerTests: XCTestCase {
    /// Targets of two departments with countable units (a task, unit 项, only takes 0 or 1).
    static let yinzhuTargets = [
        "yinzhu/industry/specialized-smes", "yinzhu/industry/high-tech-enterprises",
        "yinzhu/industry/tax-source-projects", "yinzhu/industry/fixed-asset-investment",
        "yinzhu/industry/industrial-output", "yinzhu/industry/district-tax-revenue",
    ]
    static let marineTargets = [
        "marine-hitech/hq/new-hq-projects", "marine-hitech/hq/river-bridges",
        "marine-hitech/high-end/new-projects-over-100m", "marine-hitech/high-end/new-starts",
    ]
    static let callers = 40
    static let callsPerCaller = 10
    /// Rounds per server count: 20 in a row, as the issue asks; TALLY_MULTI_SERVER_ROUNDS lowers it.
    static var rounds: Int {
        ProcessInfo.processInfo.environment["TALLY_MULTI_SERVER_ROUNDS"].flatMap(Int.init) ?? 20
    }

    func testTwoServersFortyCallersSameTargets() async throws {
        try await runRounds(servers: 2)
    }

    func testThreeServersFortyCallersSameTargets() async throws {
        try await runRounds(servers: 3)
    }

    private func runRounds(servers count: Int, function: String = #function) async throws {
        let first = try await TallyTestServer.start(function: function)
        var servers = [first]
        for _ in 1..<count { servers.append(try await TallyTestServer.start(database: first.database)) }
        let callers = (0..<Self.callers).map { index in
            let server = servers[index % count]
            return server.client(index % 2 == 0 ? first.yinzhuToken : first.marineToken)
        }
        let watchers = servers.map { $0.client(first.centralToken) }
        let database = try PostgresConnection(configuration: first.database)
        // One change before the rounds, so that every round's watchers resume after a sequence above
        // 0: after_sequence 0 asks for a snapshot instead, and a snapshot taken after the round's
        // first commit already holds that change (seen once as "2...400" in round 0).
        _ = try await callers[0].reportTarget(Requests.increment(Self.yinzhuTargets[0], by: "1"))
        for round in 0..<Self.rounds {
            let failed = try await runRound(round, callers: callers, watchers: watchers, database: database)
            if failed { break }
        }
        database.close()
        for client in callers + watchers { await client.close() }
        for server in servers.reversed() { await server.stop() }
    }

    /// One round: returns true when it failed (later rounds would only repeat the noise).
    private func runRound(_ round: Int, callers: [TallyClient], watchers: [TallyClient],
                          database: PostgresConnection) async throws -> Bool {
        // A watch after sequence 0 is "a snapshot, then what follows": a watcher that subscribed after
        // the first writes would start past them. From a logged change on, a watch replays what came
        // after it, however late it subscribes; so a round starts after at least one change.
        if try Self.head(database) == 0 {
            _ = try await callers[0].reportTarget(Requests.increment(Self.yinzhuTargets[0], by: "1"))
        }
        let head = try Self.head(database)
        let before = try Self.figures(database)
        let expectedChanges = Int64(Self.callers * Self.callsPerCaller)
        let last = head + expectedChanges
        let seen = watchers.map { watcher in
            Task { try await changeEvents(watcher.watch(afterSequence: head), through: last).map(\.change.sequence) }
        }
        let outcomes = await withTaskGroup(of: (accepted: [String], errors: [String]).self) { group in
            for (index, caller) in callers.enumerated() {
                let targets = index % 2 == 0 ? Self.yinzhuTargets : Self.marineTargets
                group.addTask {
                    var accepted: [String] = [], errors: [String] = []
                    for call in 0..<Self.callsPerCaller {
                        // Each caller walks the targets from its own starting point, so batches hold
                        // the same rows in every order.
                        let target = targets[(index / 2 + call * (index % 3 + 1)) % targets.count]
                        do {
                            _ = try await caller.reportTarget(Requests.increment(target, by: "1"))
                            accepted.append(target)
                        } catch {
                            errors.append("\(error)")
                        }
                    }
                    return (accepted, errors)
                }
            }
            var all: [(accepted: [String], errors: [String])] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        let errors = outcomes.flatMap(\.errors)
        XCTAssertEqual(errors.count, 0, "round \(round): \(errors.count) calls refused, first: \(errors.first ?? "")")
        var expected = before
        for target in outcomes.flatMap(\.accepted) { expected[target, default: 0] += 1 }
        XCTAssertEqual(try Self.figures(database), expected, "round \(round): sums")
        let accepted = Int64(outcomes.map(\.accepted.count).reduce(0, +))
        for (index, task) in seen.enumerated() {
            guard accepted == expectedChanges else {
                task.cancel()  // the watcher would wait for sequences that were never written
                _ = await task.result
                continue
            }
            let sequences = try await task.value
            XCTAssertEqual(sequences, Array((head + 1)...(head + accepted)),
                           "round \(round): watcher on server \(index) saw a gap, a repeat or a reordering")
        }
        return !errors.isEmpty
    }

    private static func head(_ database: PostgresConnection) throws -> Int64 {
        try database.execute("SELECT sequence FROM change_log_head").rows[0].decode(Int64.self, at: 0)
    }

    private static func figures(_ database: PostgresConnection) throws -> [String: Decimal] {
        var figures: [String: Decimal] = [:]
        let ids = yinzhuTargets + marineTargets
        for row in try database.execute("SELECT id, current_figure FROM targets").rows {
            let id = try row.decode(String.self, at: 0)
            guard ids.contains(id) else { continue }
            figures[id] = try row.decode(Decimal.self, at: 1)
        }
        return figures
    }
}
