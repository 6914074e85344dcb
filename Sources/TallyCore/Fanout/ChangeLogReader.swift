import Foundation
import TallyStore

/// Reads committed changes from the log in sequence order.
enum ChangeLogReader {
    static let columns = """
        sequence, committed_at, period, department, credential, kind, subject_id, field, \
        old_value, new_value, note, request_id, entity::text, made_at
        """

    /// Changes with `sequence > after`, at most `limit`, in order.
    static func read(_ connection: PostgresConnection, after: Int64, limit: Int) throws -> [ChangeRecord] {
        let result = try connection.executePrepared(
            "SELECT \(columns) FROM change_log WHERE sequence > $1 ORDER BY sequence LIMIT $2",
            [.int64(after), .int64(Int64(limit))])
        return try result.rows.map(record)
    }

    /// The changes of the `tally_apply_batch` just run in this transaction (migration 003 sets the
    /// bounds), in order: sent in the writer's pipeline right after the batch, before its commit.
    static let batchChanges = """
        SELECT \(columns) FROM change_log
         WHERE sequence > current_setting('tally.batch_head')::bigint
           AND sequence <= current_setting('tally.sequence')::bigint
         ORDER BY sequence
        """

    /// Changes in a closed range of sequences, in order.
    static func read(_ connection: PostgresConnection, range: ClosedRange<Int64>) throws -> [ChangeRecord] {
        let result = try connection.executePrepared(
            "SELECT \(columns) FROM change_log WHERE sequence BETWEEN $1 AND $2 ORDER BY sequence",
            [.int64(range.lowerBound), .int64(range.upperBound)])
        return try result.rows.map(record)
    }

    /// The most recent changes of one target or project, newest first.
    static func history(_ connection: PostgresConnection, subject: String, limit: Int) throws -> [ChangeRecord] {
        let result = try connection.executePrepared(
            "SELECT \(columns) FROM change_log WHERE subject_id = $1 ORDER BY sequence DESC LIMIT $2",
            [.text(subject), .int64(Int64(limit))])
        return try result.rows.map(record)
    }

    /// The names of the credentials that made a subject's latest `limit` changes (those
    /// ``history(_:subject:limit:)`` returns), by id.
    static func credentialNames(_ connection: PostgresConnection, subject: String, limit: Int) throws -> [String: String] {
        let result = try connection.executePrepared("""
            SELECT k.id, k.name FROM credentials k
            WHERE k.id IN (SELECT credential FROM (SELECT credential FROM change_log WHERE subject_id = $1
                                                   ORDER BY sequence DESC LIMIT $2) latest)
            """, [.text(subject), .int64(Int64(limit))])
        var names: [String: String] = [:]
        for row in result.rows { names[try row.decode(String.self, at: 0)] = try row.decode(String.self, at: 1) }
        return names
    }

    private static func kind(_ text: String) throws -> ChangeKind {
        guard let kind = ChangeKind(rawValue: text) else {
            throw PlanStateError(.unknownField, "unknown change kind \"\(text)\"")
        }
        return kind
    }

    static func record(_ row: Row) throws -> ChangeRecord {
        ChangeRecord(
            sequence: try row.decode(Int64.self, at: 0),
            committedAt: try row.decode(Date.self, at: 1),
            period: try row.decode(String.self, at: 2),
            department: try row.decode(String?.self, at: 3),
            credential: try row.decode(String?.self, at: 4),
            kind: try kind(row.decode(String.self, at: 5)),
            subjectId: try row.decode(String.self, at: 6),
            field: try row.decode(String.self, at: 7),
            oldValue: try row.decode(String.self, at: 8),
            newValue: try row.decode(String.self, at: 9),
            note: try row.decode(String.self, at: 10),
            requestId: try row.decode(String.self, at: 11),
            entity: try row.decode(String.self, at: 12),
            madeAt: try row.decode(Date?.self, at: 13))
    }
}
