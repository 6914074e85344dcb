import Foundation
import Synchronization
import TallyClient
import TallyCore
import TallyStore
import TallyTestSupport
import TallyServerTestSupport
import XCTest

/// The writer's batch statement on its own (`tally_apply_batch`, migration 003), and the writer's
/// retry of a batch that lost a deadlock.
final class WriterBatchTests: XCTestCase {
    static let fixedAssets = "yinzhu/industry/fixed-asset-investment"
    static let newHQ = "marine-hitech/hq/new-hq-projects"

    /// A command of department `yinzhu` with the credential `c-test` and a fresh request id.
    static func command(_ op: String, _ fields: [String: String]) -> [String: String] {
        ["op": op, "credential": "c-test", "role": "department", "department": "yinzhu",
         "request_id": UUID().uuidString].merging(fields) { $1 }
    }

    /// A connection to a fresh, seeded database with the department credential `c-test` (yinzhu).
    static func seededConnection() throws -> PostgresConnection {
        let database = try TestDatabase.fresh()
        _ = try TallyDatabase.migrate(database)
        try TallyDatabase.seed(database)
        let connection = try PostgresConnection(configuration: database)
        try connection.execute("""
            INSERT INTO credentials (id, name, token_hash, role, department) VALUES ('c-test', 't', 'h', 'department', 'yinzhu')
            """)
        return connection
    }

    /// Plain increments go set-based (first, in batch order), every other command goes one by one
    /// after them, a bad command fails alone, and the log's old and new values chain per target.
    func testPlainIncrementsApplyTogetherAndABadCommandFailsAlone() throws {
        let connection = try Self.seededConnection()
        defer { connection.close() }
        let batch = [
            Self.command("report_target", ["target_id": Self.fixedAssets, "increment": "1"]),
            Self.command("report_target", ["target_id": Self.fixedAssets, "increment": "2", "note": "二月"]),
            Self.command("report_target", ["target_id": Self.newHQ, "increment": "1"]),            // another department's
            Self.command("report_target", ["target_id": Self.fixedAssets, "set_value": "10"]),
            Self.command("report_target", ["target_id": Self.fixedAssets, "increment": "1.5"]),
            Self.command("report_target", ["target_id": "no/such/target", "increment": "1"]),
        ]
        let text = String(decoding: try JSONSerialization.data(withJSONObject: batch), as: UTF8.self)
        let answer = try connection.execute("SELECT tally_apply_batch($1::jsonb)::text", [.text(text)])
        let outcomes = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(answer.rows[0].decode(String.self, at: 0).utf8)) as? [[String: Any]])
        XCTAssertEqual(outcomes.map { $0["error"] as? String }, [nil, nil, "TLDNY", nil, nil, "TLNOT"])
        // Increments 1, 2 and 5 took sequences 1-3 together; the set_value came after them.
        XCTAssertEqual(outcomes.map { $0["sequence"] as? Int }, [1, 2, nil, 4, 3, nil])
        let log = try connection.execute(
            "SELECT sequence, old_value, new_value, note, (entity->>'version')::int FROM change_log ORDER BY sequence")
        let rows = try log.rows.map { row in
            "\(try row.decode(Int64.self, at: 0)) \(try row.decode(String.self, at: 1))→\(try row.decode(String.self, at: 2)) "
                + "\(try row.decode(String.self, at: 3)) v\(try row.decode(Int64.self, at: 4))"
        }
        XCTAssertEqual(rows, ["1 0→1  v2", "2 1→3 二月 v3", "3 3→4.5  v4", "4 4.5→10  v5"])
        let target = try connection.execute("SELECT current_figure::text, version, note FROM targets WHERE id = $1",
                                            [.text(Self.fixedAssets)]).rows[0]
        XCTAssertEqual(try target.decode(String.self, at: 0), "10")
        XCTAssertEqual(try target.decode(Int64.self, at: 1), 5)
        XCTAssertEqual(try target.decode(String.self, at: 2), "二月")
        XCTAssertEqual(try connection.execute("SELECT sequence FROM change_log_head").rows[0].decode(Int64.self, at: 0), 4)
        // Each applied command's outcome is stored for its request id; a replay answers it unchanged.
        XCTAssertEqual(try connection.execute("SELECT count(*) FROM requests").rows[0].decode(Int64.self, at: 0), 4)
        let replay = try connection.execute("SELECT tally_apply_batch($1::jsonb)::text",
                                            [.text(String(decoding: try JSONSerialization.data(withJSONObject: [batch[1]]), as: UTF8.self))])
        XCTAssertTrue(try replay.rows[0].decode(String.self, at: 0).contains(#""replayed": true"#))
    }

    /// Answers come in the writer's form (migration 012): a fresh target report leaves its target
    /// out ("target_logged", the writer reads it from the change log); a replay of an increment that
    /// went the set-based way gets its target back from the change log, as it was committed.
    func testFreshAnswersLeaveTheirTargetsOutAndReplaysHaveThem() throws {
        let connection = try Self.seededConnection()
        defer { connection.close() }
        let batch = [
            Self.command("report_target", ["target_id": Self.fixedAssets, "increment": "1"]),
            Self.command("report_target", ["target_id": Self.fixedAssets, "increment": "2", "note": "二月"]),
            Self.command("report_target", ["target_id": Self.newHQ, "increment": "1"]),
            Self.command("report_target", ["target_id": Self.fixedAssets, "set_value": "10"]),
        ]
        func apply(_ commands: [[String: String]]) throws -> [[String: Any]] {
            let text = String(decoding: try JSONSerialization.data(withJSONObject: commands), as: UTF8.self)
            let answer = try connection.execute("SELECT tally_apply_batch($1::jsonb)::text", [.text(text)])
            return try XCTUnwrap(JSONSerialization.jsonObject(
                with: Data(answer.rows[0].decode(String.self, at: 0).utf8)) as? [[String: Any]])
        }
        let head = { try connection.execute("SELECT sequence FROM change_log_head").rows[0].decode(Int64.self, at: 0) }
        let outcomes = try apply(batch)
        XCTAssertEqual(outcomes.map { $0["error"] as? String }, [nil, nil, "TLDNY", nil])
        XCTAssertEqual(outcomes.map { $0["sequence"] as? Int }, [1, 2, nil, 3])
        XCTAssertEqual(outcomes.map { $0["target_logged"] as? Bool }, [true, true, nil, true])
        XCTAssertTrue(outcomes.allSatisfy { $0["target"] == nil })
        XCTAssertEqual(try head(), 3)
        // Replays: the second increment (stored set-based) and the set_value (stored one by one).
        let replays = try apply([batch[1], batch[3]])
        XCTAssertEqual(replays.map { $0["replayed"] as? Bool }, [true, true])
        XCTAssertEqual(replays.map { $0["sequence"] as? Int }, [2, 3])
        let targets = try replays.map { try XCTUnwrap($0["target"] as? [String: Any]) }
        XCTAssertEqual(targets.map { $0["current_figure"] as? String }, ["3", "10"])
        XCTAssertEqual(targets.map { $0["version"] as? Int }, [3, 4])
        XCTAssertEqual(targets[0]["note"] as? String, "二月")
        XCTAssertNil(replays[0]["target_logged"])
        // The same request id with another figure is refused (in a batch big enough for the set
        // statement), nothing applied.
        var reused = batch[0]
        reused["increment"] = "5"
        XCTAssertEqual(try apply([reused, batch[2], batch[2]]).first?["error"] as? String, "TLARG")
        XCTAssertEqual(try head(), 3)
    }

    /// A lone plain increment goes its own short way (the writer's prepared statement,
    /// ``LoneIncrement``, Schema/016); a batch of two goes one by one. The same commands, sent one
    /// per batch to one database and two per batch to another, leave the same log, the same targets
    /// and the same answers there, commands that are not plain increments (which the short way
    /// passes on, writing nothing) included.
    func testALoneIncrementLogsAndAnswersWhatTheOtherPathDoes() throws {
        let task = "yinzhu/party/chuxin-station"
        let fresh = Self.command("report_target", ["target_id": Self.fixedAssets, "increment": "1"])
        var reused = fresh
        reused["increment"] = "7"
        let commands = [
            fresh,
            Self.command("report_target", ["target_id": Self.fixedAssets, "increment": "2.5", "note": "二月",
                                           "unit": "亿元", "period": "2023-02", "made_at": "2023-02-27T08:00:00Z"]),
            Self.command("report_target", ["target_id": Self.fixedAssets, "increment": "1", "unit": "个"]),  // wrong unit
            Self.command("report_target", ["target_id": Self.newHQ, "increment": "1"]),                      // another department's
            Self.command("report_target", ["target_id": task, "increment": "1"]),                             // a task: done
            fresh,                                                                                          // an identical retry
            reused,                                                                                         // the id reused
            Self.command("report_target", ["target_id": Self.fixedAssets, "increment": "0.25", "expected_version": "4"]),
            Self.command("report_target", ["target_id": Self.fixedAssets, "increment": "3"]),
        ]
        func run(perBatch: Int) throws -> (answers: [String], log: [String], targets: [String], short: Int64, lone: Int) {
            let connection = try Self.seededConnection()
            defer { connection.close() }
            var answers: [String] = []
            var viaLone = 0
            for start in stride(from: 0, to: commands.count, by: perBatch) {
                let batch = Array(commands[start..<min(start + perBatch, commands.count)])
                // Alone, a command goes the writer's way: its lone statement first, the batch function after.
                if batch.count == 1, let sequence = try Self.lone(batch[0], on: connection) {
                    let answer: [String: Any] = ["sequence": sequence, "replayed": false, "target_logged": true]
                    answers.append(String(decoding: try JSONSerialization.data(withJSONObject: answer, options: .sortedKeys),
                                          as: UTF8.self))
                    viaLone += 1
                    continue
                }
                let text = String(decoding: try JSONSerialization.data(withJSONObject: batch), as: UTF8.self)
                let answer = try connection.execute("SELECT tally_apply_batch($1::jsonb)::text", [.text(text)])
                let outcomes = try XCTUnwrap(JSONSerialization.jsonObject(
                    with: Data(answer.rows[0].decode(String.self, at: 0).utf8)) as? [[String: Any]])
                answers += try outcomes.map {
                    String(decoding: try JSONSerialization.data(withJSONObject: $0, options: .sortedKeys), as: UTF8.self)
                }
            }
            let log = try connection.execute("""
                SELECT concat_ws(' | ', sequence, period, department, credential, kind, subject_id, field, old_value,
                                 new_value, note, request_id, entity::text, made_at AT TIME ZONE 'UTC', previous::text)
                  FROM change_log ORDER BY sequence
                """).rows.map { try $0.decode(String.self, at: 0) }
            let targets = try connection.execute("""
                SELECT concat_ws(' | ', id, current_figure, version, note) FROM targets ORDER BY id
                """).rows.map { try $0.decode(String.self, at: 0) }
            // Outcomes stored the short way say "target_logged" (one by one, they hold the target).
            let short = try connection.execute("SELECT count(*) FROM requests WHERE result ? 'target_logged'")
            return (answers, log, targets, try short.rows[0].decode(Int64.self, at: 0), viaLone)
        }
        let lone = try run(perBatch: 1)
        let paired = try run(perBatch: 2)
        XCTAssertEqual([lone.short, paired.short], [3, 1], "plain increments go the short way when alone (the last pair is one)")
        XCTAssertEqual(lone.lone, 3, "the lone statement took the three plain increments, and only them")
        XCTAssertEqual(lone.log.count, 4, lone.log.joined(separator: "\n"))
        XCTAssertEqual(lone.log, paired.log)
        XCTAssertEqual(lone.targets, paired.targets)
        XCTAssertEqual(lone.answers, paired.answers)
        XCTAssertEqual(lone.answers.map { $0.contains(#""error""#) }, [false, false, true, true, false, false, true, true, false])
        XCTAssertTrue(lone.answers[5].contains(#""replayed":true"#), lone.answers[5])
        XCTAssertTrue(lone.log[1].contains("2023-02 | yinzhu"), lone.log[1])
        XCTAssertTrue(lone.log[1].hasSuffix(" | 2023-02-27 08:00:00"), lone.log[1])
    }

    /// ``LoneIncrement``'s two statements for a command's JSON object, unprepared, not notifying.
    static func loneStatements(_ command: PostgresValue) -> [Statement] {
        [Statement(LoneIncrement.headSQL), Statement(LoneIncrement.sql, [command, .bool(false)])]
    }

    /// The writer's statements for a lone command (``LoneIncrement``), as the writer sends them, in
    /// one transaction: the sequence logged, or nil when they did not take the command (rolled back).
    static func lone(_ command: [String: String], on connection: PostgresConnection) throws -> Int64? {
        let head = try connection.execute("SELECT sequence FROM change_log_head").rows[0].decode(Int64.self, at: 0)
        let text = String(decoding: try JSONSerialization.data(withJSONObject: command), as: UTF8.self)
        let results = try connection.pipeline(Self.loneStatements(.text(text)))
        let after = try connection.execute("SELECT sequence FROM change_log_head").rows[0].decode(Int64.self, at: 0)
        switch results.last {
        case .success(let answer)? where answer.rows.count == 1:
            let sequence = try answer.rows[0].decode(Int64.self, at: 0)
            XCTAssertEqual([sequence, after], [head + 1, head + 1])
            return sequence
        case .success(let answer)?:
            XCTAssertEqual(answer.rows.count, 0)
            XCTAssertEqual(after, head, "the lone statements moved the head without logging")
            return nil
        case .failure(let error)?:
            XCTFail("the lone statements failed: \(error)")
            return nil
        case nil:
            XCTFail("no result")
            return nil
        }
    }

    /// The lone statements lock the change-log head first, so the report reads its target after
    /// every report committed before it: one that waited for the head adds to the report committed
    /// meanwhile. A target that meanwhile went to another department is not reported (no row, the
    /// head unmoved); one whose figure changed outside Tally while the report waited for the row is
    /// not overwritten (SQLSTATE 40001, rolled back). Either way the writer goes the batch
    /// function's way.
    func testALoneReportThatWaitedReadsItsTargetAfterTheCommitBeforeIt() throws {
        let database = try TestDatabase.fresh()
        _ = try TallyDatabase.migrate(database)
        try TallyDatabase.seed(database)
        let first = try PostgresConnection(configuration: database)
        let second = try PostgresConnection(configuration: database)
        let watcher = try PostgresConnection(configuration: database)
        defer { [first, second, watcher].forEach { $0.close() } }
        try first.execute("""
            INSERT INTO credentials (id, name, token_hash, role, department) VALUES ('c-test', 't', 'h', 'department', 'yinzhu')
            """)
        func increment(_ amount: String) throws -> PostgresValue {
            .text(String(decoding: try JSONSerialization.data(withJSONObject: Self.command(
                "report_target", ["target_id": Self.fixedAssets, "increment": amount])), as: UTF8.self))
        }
        // Sends a lone increment on `second` while `first` holds a lock, then lets `first` commit.
        func secondWaitsForFirst(_ amount: String) throws -> Result<QueryResult, StoreError> {
            let outcome = Mutex<Result<QueryResult, StoreError>?>(nil)
            let done = DispatchSemaphore(value: 0)
            let value = try increment(amount)
            DispatchQueue.global().async {
                let result: Result<QueryResult, StoreError>
                do throws(StoreError) {
                    result = try second.pipeline(Self.loneStatements(value))[1]
                } catch {
                    result = .failure(error)
                }
                outcome.withLock { $0 = result }
                done.signal()
            }
            let deadline = Date().addingTimeInterval(20)
            while try watcher.execute("""
                SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()
                """).rows[0].decode(Int64.self, at: 0) == 0 {
                XCTAssertLessThan(Date(), deadline, "the second report never waited")
                if Date() > deadline { break }
                Thread.sleep(forTimeInterval: 0.01)
            }
            try first.execute("COMMIT")
            done.wait()
            return try XCTUnwrap(outcome.withLock { $0 })
        }
        func log() throws -> [String] {
            try first.execute("""
                SELECT concat_ws(' ', sequence, old_value, new_value, entity->>'version') FROM change_log ORDER BY sequence
                """).rows.map { try $0.decode(String.self, at: 0) }
        }
        func state() throws -> String {
            try first.execute("""
                SELECT concat_ws(' ', (SELECT sequence FROM change_log_head), current_figure, version) FROM targets WHERE id = $1
                """, [.text(Self.fixedAssets)]).rows[0].decode(String.self, at: 0)
        }
        func assertSkipped(_ result: Result<QueryResult, StoreError>, _ message: String, failing: Bool) {
            if failing {
                XCTAssertThrowsError(try result.get(), message) { error in
                    XCTAssertEqual((error as? StoreError)?.sqlState, .serializationFailure, "\(message): \(error)")
                }
            } else {
                XCTAssertEqual(try result.get().rows.count, 0, message)
            }
        }

        // A report holds the head; the second waits for it and adds to what it committed.
        try first.execute("BEGIN")
        try first.execute(LoneIncrement.headSQL)
        XCTAssertEqual(try first.execute(LoneIncrement.sql, [try increment("1"), .bool(false)]).rows.count, 1)
        XCTAssertEqual(try secondWaitsForFirst("2").get().rows.count, 1)
        XCTAssertEqual(try log(), ["1 0 1 2", "2 1 3 3"], "the waiting report added to the committed one")

        // The target moves to another department while the report waits for the head.
        try first.execute("BEGIN")
        try first.execute("UPDATE change_log_head SET sequence = sequence WHERE id = 1")
        try first.execute("UPDATE targets SET department = 'marine-hitech' WHERE id = $1", [.text(Self.fixedAssets)])
        assertSkipped(try secondWaitsForFirst("5"), "a target of another department", failing: false)
        XCTAssertEqual(try state(), "2 3 3")
        try first.execute("UPDATE targets SET department = 'yinzhu' WHERE id = $1", [.text(Self.fixedAssets)])

        // The figure changes outside Tally while the report waits for the row: not overwritten.
        try first.execute("BEGIN")
        try first.execute("UPDATE targets SET current_figure = current_figure + 10 WHERE id = $1", [.text(Self.fixedAssets)])
        assertSkipped(try secondWaitsForFirst("5"), "a figure changed meanwhile", failing: true)
        XCTAssertEqual(try state(), "2 13 3")
        XCTAssertEqual(try log().count, 2)
    }

    /// A transaction outside the writer holds a target row and then wants the log head that the
    /// writer's batch holds: PostgreSQL breaks the deadlock by aborting the writer's batch (it waited
    /// first), and the writer runs the batch again (a lone report's statement, the batch function's
    /// way); the client sees its call accepted, never ABORTED.
    func testABatchThatLosesADeadlockIsRetriedInsideTheServer() async throws {
        let server = try await TallyTestServer.start()
        let clerk = server.yinzhu
        let outside = try PostgresConnection(configuration: server.database)
        defer { outside.close() }
        // The outside session waits 60 s before it looks for a deadlock, the writer's backend 1 s
        // (the default): PostgreSQL then breaks the cycle on the writer's side.
        try outside.execute("SET deadlock_timeout = '60s'")
        try outside.execute("BEGIN")
        try outside.execute("UPDATE targets SET note = note WHERE id = $1", [.text(Self.fixedAssets)])
        let request = Requests.increment(Self.fixedAssets, by: "1")
        let report = Task { try await clerk.reportTarget(request) }
        // Wait (bounded) until the writer's batch holds the head and waits for the row.
        let watcher = try PostgresConnection(configuration: server.database)
        defer { watcher.close() }
        let deadline = Date().addingTimeInterval(20)
        while try watcher.execute("""
            SELECT count(*) FROM pg_stat_activity
             WHERE wait_event_type = 'Lock' AND (query LIKE '%tally_apply_batch%' OR query LIKE '%tally_apply_lone%')
               AND datname = current_database()
            """).rows[0].decode(Int64.self, at: 0) == 0 {
            XCTAssertLessThan(Date(), deadline, "the writer never waited for the row")
            if Date() > deadline { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        // Now close the cycle; the writer's backend detects the deadlock and is the one aborted.
        try outside.execute("UPDATE change_log_head SET sequence = sequence WHERE id = 1")
        try outside.execute("ROLLBACK")
        let response = try await report.value
        XCTAssertEqual(response.target.currentFigure, "1")
        XCTAssertEqual(response.sequence, 1)
        await clerk.close()
        await server.stop()
    }
}
