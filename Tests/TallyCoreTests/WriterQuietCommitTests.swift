import Foundation
import TallyClient
import TallyCore
import TallyMessages
import TallyServerTestSupport
import TallyStore
import TallyTestSupport
import XCTest

/// Commits notify (NOTIFY tally_changes) only while another server follows the log (Schema/015):
/// a server alone commits quietly; a second server's feed is seen and notified; when it goes, the
/// first is quiet again. A session that LISTENs on the channel tells which commits notified.
final class WriterQuietCommitTests: XCTestCase {
    static let target = "yinzhu/industry/specialized-smes"

    func testAServerAloneCommitsWithoutNotifyingAndASecondServerIsNotified() async throws {
        let first = try await TallyTestServer.start()
        await waitUntil { first.server.otherServersFollow == false }
        let listener = try PostgresConnection(configuration: first.database)
        defer { listener.close() }
        try listener.listen("tally_changes")
        let clerk = first.yinzhu

        // Alone: a lone report and a burst (batches of several) commit, and nobody is told.
        let lone = try await clerk.reportTarget(Requests.increment(Self.target, by: "1"))
        let burst = try await reportTogether(10, through: clerk)
        XCTAssertEqual(burst.count, 10)
        XCTAssertEqual(try notifications(on: listener, within: .milliseconds(800)), [],
                       "a server alone notified its commits")
        XCTAssertEqual(try loggedSequences(first.database, after: lone.sequence - 1).count, 11)

        // A second server on the database: the first sees its feed and notifies its commits.
        let second = try await TallyTestServer.start(database: first.database)
        await waitUntil { first.server.otherServersFollow == true && second.server.otherServersFollow == true }
        let told = try await clerk.reportTarget(Requests.increment(Self.target, by: "2"))
        let payloads = try notifications(on: listener, within: .seconds(10), until: { $0.contains("\(told.sequence)") })
        XCTAssertTrue(payloads.contains("\(told.sequence)"), "the first server's commit was not notified: \(payloads)")

        // The second server's watcher sees the first server's change.
        let central = second.central
        let seen = try await changeEvents(central.watch(afterSequence: told.sequence - 1), through: told.sequence,
                                          limit: .seconds(20))
        XCTAssertEqual(seen.last?.change.sequence, told.sequence)
        await central.close()

        // The second server gone, the first is quiet again.
        await second.stop()
        await waitUntil { first.server.otherServersFollow == false }
        _ = try notifications(on: listener, within: .milliseconds(100))  // whatever the stop left
        _ = try await clerk.reportTarget(Requests.increment(Self.target, by: "3"))
        XCTAssertEqual(try notifications(on: listener, within: .milliseconds(800)), [],
                       "a server alone again still notified its commits")
        await clerk.close()
        await first.stop()
    }

    /// `count` reports of one increment each, sent at once (so the writer batches them).
    private func reportTogether(_ count: Int, through client: TallyClient) async throws -> [Int64] {
        try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<count {
                group.addTask { try await client.reportTarget(Requests.increment(Self.target, by: "1")).sequence }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// The payloads of the tally_changes notifications that arrive within `window`, or until `done`
    /// holds for those received so far.
    private func notifications(on connection: PostgresConnection, within window: Duration,
                               until done: ([String]) -> Bool = { _ in false }) throws -> [String] {
        let deadline = ContinuousClock.now + window
        var payloads: [String] = []
        while !done(payloads), ContinuousClock.now < deadline {
            payloads += try connection.notifications(timeout: .milliseconds(50))
                .filter { $0.channel == "tally_changes" }.map(\.payload)
        }
        return payloads
    }

    /// The change log's sequences after `after`.
    private func loggedSequences(_ database: PostgresConfiguration, after: Int64) throws -> [Int64] {
        let connection = try PostgresConnection(configuration: database)
        defer { connection.close() }
        return try connection.execute("SELECT sequence FROM change_log WHERE sequence > $1 ORDER BY sequence",
                                      [.int64(after)]).rows.map { try $0.decode(Int64.self, at: 0) }
    }
}
