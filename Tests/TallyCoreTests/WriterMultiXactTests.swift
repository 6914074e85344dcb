import Foundation
import TallyCore
import TallyStore
import TallyTestSupport
import XCTest

/// The writer's batch statement leaves no MultiXact on a target it reports to (Schema/014): a row
/// locked by the batch's transaction and then updated by one of its subtransactions would get one,
/// and a year of reports would spend MultiXact ids and member space at the rate of reports. (A
/// target reported twice in one batch where the second report goes the per-command way still
/// gets one: PostgreSQL's rule for a row that one subtransaction wrote and another locks.)
final class WriterMultiXactTests: XCTestCase {
    private static let fixedAssets = WriterBatchTests.fixedAssets
    private static let output = "yinzhu/industry/industrial-output"

    private static func report(_ fields: [String: String]) -> [String: String] {
        WriterBatchTests.command("report_target", fields)
    }

    /// `count` plain increments of the fixed-asset target.
    private static func increments(_ count: Int) -> [[String: String]] {
        (0..<count).map { _ in report(["target_id": fixedAssets, "increment": "1"]) }
    }

    /// Tuple versions of `targets` whose xmax is a MultiXact (HEAP_XMAX_IS_MULTI, 0x1000).
    private static func multiXactTuples(_ connection: PostgresConnection) throws -> Int64 {
        try connection.execute("""
            SELECT count(*) FROM generate_series(0, pg_relation_size('targets') / current_setting('block_size')::int - 1) AS b,
                   heap_page_items(get_raw_page('targets', b::int)) AS t
             WHERE t.t_infomask & 4096 <> 0
            """).rows[0].decode(Int64.self, at: 0)
    }

    func testReportsAloneInPairsAndInBatchesLeaveNoMultiXact() throws {
        let connection = try WriterBatchTests.seededConnection()
        defer { connection.close() }
        try connection.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        let batches: [(String, (PostgresConnection) throws -> [[String: String]])] = [
            ("a lone increment (the writer's lone statement)", { _ in [Self.report(["target_id": Self.fixedAssets, "increment": "1"])] }),
            ("a pair (the per-command path)", { _ in [
                Self.report(["target_id": Self.fixedAssets, "increment": "1"]),
                Self.report(["target_id": Self.output, "increment": "2"]),
            ] }),
            ("a set-based batch", { _ in (1...6).map { index in
                Self.report(["target_id": index % 2 == 0 ? Self.fixedAssets : Self.output, "increment": "\(index)"])
            } }),
            ("increments beside a set_value", { _ in
                Self.increments(3) + [Self.report(["target_id": Self.output, "set_value": "100"])]
            }),
            ("a versioned report beside increments", { connection in
                let version = try connection.execute("SELECT version FROM targets WHERE id = $1", [.text(Self.output)])
                    .rows[0].decode(Int64.self, at: 0)
                return [Self.report(["target_id": Self.output, "increment": "1", "expected_version": "\(version)"])]
                    + Self.increments(3)
            }),
        ]
        var applied = 0
        for (name, makeBatch) in batches {
            let batch = try makeBatch(connection)
            // Alone, a plain increment goes the writer's way: its lone statement (FOR UPDATE, then the update).
            if batch.count == 1, try WriterBatchTests.lone(batch[0], on: connection) != nil {
                applied += 1
                XCTAssertEqual(try Self.multiXactTuples(connection), 0, "after \(name)")
                continue
            }
            let text = String(decoding: try JSONSerialization.data(withJSONObject: batch), as: UTF8.self)
            let answer = try connection.execute("SELECT tally_apply_batch($1::jsonb)::text", [.text(text)])
            let outcomes = try XCTUnwrap(JSONSerialization.jsonObject(
                with: Data(answer.rows[0].decode(String.self, at: 0).utf8)) as? [[String: Any]])
            XCTAssertEqual(outcomes.compactMap { $0["error"] as? String }, [], name)
            applied += batch.count
            XCTAssertEqual(try Self.multiXactTuples(connection), 0, "after \(name)")
        }
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM change_log").rows[0].decode(Int64.self, at: 0),
                       Int64(applied))
    }
}
