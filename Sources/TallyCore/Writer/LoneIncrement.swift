import Foundation
import TallyStore

/// A batch of one plain increment (at light load nearly every commit is one: a department's report
/// with nobody else writing) applied by one prepared statement in its own transaction: the change's
/// row comes back from it, so there is no BEGIN, no read of the change after it and no PL/pgSQL.
/// PostgreSQL spends about a quarter less on a lone report than on the batch function's way
/// (BENCHMARKS.md, "Write path v10").
///
/// The rule stays in SQL (`tally_is_plain_increment`, `tally_increment_fits`, Schema/014): a command
/// the statement does not take (another operation, a set value, an expected version, a request id
/// already used, another department's target, ...) writes nothing and goes the batch function's
/// way, which names the problem or replays the request. Locks are taken as every batch takes them:
/// the change-log head, then the target row.
///
/// The statement's snapshot is taken before it waits for the head, so it reads the target again
/// once it holds the head: it locks the row (FOR UPDATE, which reads the row's latest version and
/// checks the target's fit on it) and updates what it locked. When the head moved but nothing was
/// logged, the statement fails (SQLSTATE 40001), so no sequence is ever skipped; the writer then
/// goes the batch function's way. A request id committed meanwhile through another server fails
/// its `requests` insert, likewise.
public enum LoneIncrement {
    /// The name the statement is prepared under on each of the writer's connections.
    static let statementName = "tally_apply_lone"

    /// The statement: `$1` the command (the JSON object the batch function reads), `$2` whether the
    /// commit notifies other servers (NOTIFY tally_changes, Schema/015). One row, the logged change
    /// (``ChangeLogReader/columns``), when it applied the command; none when it did not.
    public static let sql = """
        WITH cmd AS (
            SELECT $1::jsonb AS c
        ), eligible AS (
            SELECT t.id, (cmd.c->>'increment')::numeric AS amount
            FROM cmd JOIN targets t ON t.id = cmd.c->>'target_id'
            WHERE tally_is_plain_increment(cmd.c) AND tally_increment_fits(cmd.c, t.department, t.unit)
              AND NOT EXISTS (SELECT 1 FROM credentials k
                               WHERE k.id = cmd.c->>'credential' AND k.revoked_at IS NOT NULL)
              AND NOT EXISTS (SELECT 1 FROM requests r
                               WHERE r.credential = cmd.c->>'credential' AND r.request_id = cmd.c->>'request_id')
        ), head AS (
            UPDATE change_log_head h SET sequence = h.sequence + 1
             WHERE h.id = 1 AND EXISTS (SELECT 1 FROM eligible)
            RETURNING h.sequence
        ), locked AS (
            SELECT t.id, t.current_figure, t.version, e.amount, head.sequence AS seq
            FROM eligible e JOIN targets t ON t.id = e.id CROSS JOIN head CROSS JOIN cmd
            WHERE tally_increment_fits(cmd.c, t.department, t.unit)
            FOR UPDATE OF t
        ), updated AS (
            UPDATE targets t SET current_figure = l.current_figure + l.amount, version = l.version + 1,
                                 note = COALESCE(NULLIF(cmd.c->>'note', ''), t.note), updated_at = clock_timestamp()
              FROM locked l, cmd
             WHERE t.id = l.id
            RETURNING t.*, l.current_figure AS old_figure, l.seq, cmd.c AS c
        ), logged AS (
            INSERT INTO change_log (sequence, committed_at, period, department, credential, kind, subject_id,
                                    field, old_value, new_value, note, request_id, entity, made_at)
            SELECT u.seq, u.updated_at, COALESCE(NULLIF(u.c->>'period', ''), tally_cst_month(u.updated_at)),
                   u.c->>'department', u.c->>'credential', 'target', u.id, 'current_figure',
                   u.old_figure::text, u.current_figure::text, COALESCE(u.c->>'note', ''), u.c->>'request_id',
                   jsonb_build_object(
                       'id', u.id, 'department', u.department, 'line', u.line, 'name', u.name, 'unit', u.unit,
                       'direction', u.direction, 'target_figure', u.target_figure::text,
                       'current_figure', u.current_figure::text, 'period', u.period, 'qualifier', u.qualifier,
                       'version', u.version, 'note', u.note, 'sort_order', u.sort_order),
                   (u.c->>'made_at')::timestamptz
            FROM updated u
            RETURNING \(ChangeLogReader.columns)
        ), stored AS (
            INSERT INTO requests (credential, request_id, result, fingerprint)
            SELECT u.c->>'credential', u.c->>'request_id',
                   jsonb_build_object('sequence', u.seq, 'replayed', false, 'target_logged', true),
                   tally_request_fingerprint(u.c)
            FROM updated u
        )
        SELECT l.* FROM head h
          LEFT JOIN logged l ON true
          LEFT JOIN LATERAL (SELECT pg_notify('tally_changes', l.sequence::text) WHERE $2 AND l.sequence IS NOT NULL) n ON true
         WHERE l.sequence IS NOT NULL
            OR tally_fail('40001', 'the target changed while the report waited for the change log; send it again') IS NULL
        """

    /// Whether the writer tries the statement for a command: a department's report of an increment
    /// with no set value and no expected version. Only a hint, to spare other commands a round trip:
    /// the statement itself decides, by the rule in SQL.
    static func mayApply(_ command: WriteCommand, _ envelope: WriteCommand.Envelope) -> Bool {
        guard case .reportTarget(let fields) = command, envelope.role == "department",
              envelope.request_id?.isEmpty == false else { return false }
        return fields.increment != nil && fields.set_value == nil && (fields.expected_version ?? 0) == 0
    }

    /// The statement for one command's JSON object.
    static func statement(_ json: Data, notify: Bool) -> Statement {
        Statement.prepared(statementName, [.text(String(decoding: json, as: UTF8.self)), .bool(notify)])
    }
}
