import Foundation
import TallyStore
import XCTest
@testable import TallyCore

/// The writer's durability rule (``Writer/batchStatements(_:)``): a batch commits asynchronously, so
/// it releases the change-log head without waiting for the WAL flush, and a barrier transaction
/// after its commit, committed with the session's own `synchronous_commit`, makes it durable before
/// anyone is answered.
final class WriterDurabilityTests: XCTestCase {
    func testABatchCommitsAsynchronouslyAndTheBarrierCommitsAfterIt() throws {
        let connection = try WriterBatchTests.seededConnection()
        defer { connection.close() }
        // The test cluster runs with synchronous_commit off; the writer's session would have the
        // database's setting, which a production cluster has on.
        try connection.execute("SET synchronous_commit TO on")
        try connection.execute("PREPARE tally_batch_changes AS " + ChangeLogReader.batchChanges)
        let command: [String: String] = [
            "op": "report_target", "credential": "c-test", "role": "department", "department": "yinzhu",
            "request_id": UUID().uuidString, "target_id": "yinzhu/industry/fixed-asset-investment", "increment": "1",
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: [command]), as: UTF8.self)
        var statements = Writer.batchStatements(json)
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
}
