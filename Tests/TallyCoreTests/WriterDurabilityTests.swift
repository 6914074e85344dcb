import Foundation
import TallyStore
import XCTest
@testable import TallyCore

/// The writer's durability rule (``Writer/batchStatements(_:commands:)``): a batch commits asynchronously, so
/// it releases the change-log head without waiting for the WAL flush, and a barrier transaction
/// after its commit, committed with the session's own `synchronous_commit`, makes it durable before
/// anyone is answered; a small batch commits synchronously instead.
final class WriterDurabilityTests: XCTestCase {
    func testABatchCommitsAsynchronouslyAndTheBarrierCommitsAfterIt() throws {
        let (connection, json) = try writerSession()
        defer { connection.close() }
        // Counted as a batch above the synchronous limit (the statements do not depend on its JSON).
        var statements = Writer.batchStatements(json, commands: Writer.synchronousBatchLimit + 1)
        XCTAssertEqual(statements.first?.sql, "BEGIN")
        XCTAssertEqual(statements.last?.sql, PostgresConnection.durabilityBarrier.sql)
        // A probe just before the batch's COMMIT: the setting its commit runs with, and its transaction id.
        let commit = try XCTUnwrap(statements.firstIndex { $0.sql == "COMMIT" })
        statements.insert(Statement("SELECT current_setting('synchronous_commit'), pg_current_xact_id()::text"), at: commit)
        let results = try connection.pipeline(statements)
        XCTAssertEqual(results.count, statements.count)
        for result in results { _ = try result.get() }
        let probe = try XCTUnwrap(results[commit].get().rows.first)
        XCTAssertEqual(try probe.decode(String.self, at: 0), "off", "the batch commits asynchronously")
        let batchXID = try XCTUnwrap(Int64(probe.decode(String.self, at: 1)))
        let barrierXID = try XCTUnwrap(Int64(results[results.count - 1].get().rows.first?.decode(String.self, at: 0) ?? ""))
        // The barrier is a transaction of its own, begun after the batch's commit: its commit record
        // follows the batch's in the WAL, and its synchronous commit flushes past it.
        XCTAssertGreaterThan(barrierXID, batchXID)
        // The barrier wrote WAL (a row of its backend): PostgreSQL commits a transaction that wrote
        // none asynchronously whatever the setting, and then it would not wait for the flush.
        let barriers = try connection.execute("SELECT barriers FROM durability_barrier WHERE backend_pid = pg_backend_pid()")
        XCTAssertEqual(try barriers.rows.first?.decode(Int64.self, at: 0), 1)
        XCTAssertEqual(try connection.execute("SHOW synchronous_commit").rows[0].decode(String.self, at: 0), "on",
                       "SET LOCAL ended with the batch: the barrier commits with the session's setting")
        // The batch committed: its log row was written by the batch's transaction (or a subtransaction
        // of it), whose ids come after the batch's and before the barrier's.
        let logged = try connection.execute("SELECT xmin::text FROM change_log WHERE sequence = 1").rows
        let writer = try XCTUnwrap(logged.first.flatMap { Int64(try $0.decode(String.self, at: 0)) })
        XCTAssertTrue((batchXID..<barrierXID).contains(writer), "log row written by \(writer), batch \(batchXID), barrier \(barrierXID)")
    }

    /// A small batch commits with the session's `synchronous_commit` and no barrier; even a batch
    /// that only replays a stored outcome writes WAL (the head's row lock) and holds a transaction
    /// id, so its commit waits for the flush and covers the outcome it replays.
    func testASmallBatchCommitsSynchronouslyAndWritesWALEvenWhenItOnlyReplays() throws {
        let (connection, json) = try writerSession()
        defer { connection.close() }
        let small = Writer.batchStatements(json, commands: 1)
        XCTAssertEqual(small.map(\.sql).filter { $0 == PostgresConnection.durabilityBarrier.sql }.count, 0, "no barrier")
        XCTAssertFalse(small.contains { $0.sql.contains("synchronous_commit") }, "the session's setting")
        for attempt in ["fresh", "replay"] {
            var statements = small
            let lsnBefore = Statement("SELECT pg_current_wal_insert_lsn()::text")
            statements.insert(lsnBefore, at: 1)
            let commit = try XCTUnwrap(statements.firstIndex { $0.sql == "COMMIT" })
            statements.insert(Statement("""
                SELECT current_setting('synchronous_commit'), pg_current_xact_id_if_assigned() IS NOT NULL,
                       pg_current_wal_insert_lsn() > $1::pg_lsn
                """), at: commit)
            // The probe compares against the LSN read after BEGIN (sent as text by the pipeline).
            let first = try connection.pipeline(Array(statements[0...1]))
            for result in first { _ = try result.get() }
            let lsn = try XCTUnwrap(first[1].get().rows.first?.decode(String.self, at: 0))
            statements[commit] = Statement(statements[commit].sql, [.text(lsn)])
            let results = try connection.pipeline(Array(statements[2...]))
            for result in results { _ = try result.get() }
            let answer = try XCTUnwrap(results[0].get().rows.first?.decode(String.self, at: 0))
            XCTAssertEqual(answer.contains("\"replayed\": true"), attempt == "replay", answer)
            let probe = try XCTUnwrap(results[commit - 2].get().rows.first)
            XCTAssertEqual(try probe.decode(String.self, at: 0), "on", "\(attempt): commits synchronously")
            XCTAssertEqual(try probe.decode(String.self, at: 1), "t", "\(attempt): holds a transaction id")
            XCTAssertEqual(try probe.decode(String.self, at: 2), "t", "\(attempt): wrote WAL before its commit")
        }
        let barriers = try connection.execute("SELECT count(*) FROM durability_barrier")
        XCTAssertEqual(try barriers.rows.first?.decode(Int64.self, at: 0), 0, "no barrier ran")
    }

    /// A seeded database's connection set up as the writer's session, and a batch of one increment.
    private func writerSession() throws -> (PostgresConnection, String) {
        let connection = try WriterBatchTests.seededConnection()
        // The test cluster runs with synchronous_commit off; the writer's session would have the
        // database's setting, which a production cluster has on.
        try connection.execute("SET synchronous_commit TO on")
        try Writer.prepareStatements(on: connection)
        let command: [String: String] = [
            "op": "report_target", "credential": "c-test", "role": "department", "department": "yinzhu",
            "request_id": UUID().uuidString, "target_id": "yinzhu/industry/fixed-asset-investment", "increment": "1",
        ]
        return (connection, String(decoding: try JSONSerialization.data(withJSONObject: [command]), as: UTF8.self))
    }
}
