import Foundation
import TallyStore

/// A batch of one plain increment (at light load nearly every commit is one: a department's report
/// with nobody else writing) applied by two prepared statements in one implicit transaction (one
/// round trip, committed at the pipeline's sync): the first locks the change-log head, the second
/// writes the report and returns the logged change. No BEGIN, no read of the change after it, no
/// PL/pgSQL (BENCHMARKS.md, "Write path v10").
///
/// The rule stays in SQL (`tally_is_plain_increment`, `tally_increment_fits`, Schema/014). A command
/// the second statement does not take (another operation, a set value, an expected version, a
/// request id already used, another department's target, ...) writes nothing and returns no row;
/// the writer then sends it the batch function's way, which names the problem or replays the
/// request. Locks are taken as every batch takes them: the head, then the target row.
///
/// The second statement's snapshot is taken after the first holds the head, so it sees every report
/// committed before it (every writer takes the head). Its update checks that the target's figure and
/// version are still the ones it read (a change made outside Tally while it waited for the row): if
/// not, the statement fails (SQLSTATE 40001) rather than move the head without logging, so no
/// sequence is ever skipped.
public enum LoneIncrement {
    /// The names the two statements are prepared under on each of the writer's connections.
    static let headStatementName = "tally_lone_head"
    static let statementName = "tally_apply_lone"

    /// The first statement: locks the change-log head, as every batch does first.
    public static let headSQL = "SELECT sequence FROM change_log_head WHERE id = 1 FOR UPDATE"

    /// The second statement: `$1` the command (the JSON object the batch function reads), `$2`
    /// whether the commit notifies other servers (NOTIFY tally_changes, Schema/015). One row, the
    /// logged change (``ChangeLogReader/columns``), when it took the command; none when it did not.
    public static let sql = """
        WITH cmd AS (
            SELECT $1::jsonb AS c
        ), eligible AS (
            SELECT t.id, t.current_figure, t.version, (cmd.c->>'increment')::numeric AS amount
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
        ), updated AS (
            UPDATE targets t SET current_figure = e.current_figure + e.amount, version = e.version + 1,
                                 note = COALESCE(NULLIF(cmd.c->>'note', ''), t.note), updated_at = clock_timestamp()
              FROM eligible e, cmd
             WHERE t.id = e.id AND t.current_figure = e.current_figure AND t.version = e.version
            RETURNING t.*, e.current_figure AS old_figure, cmd.c AS c
        ), logged AS (
            INSERT INTO change_log (sequence, committed_at, period, department, credential, kind, subject_id,
                                    field, old_value, new_value, note, request_id, entity, made_at)
            SELECT head.sequence, u.updated_at, COALESCE(NULLIF(u.c->>'period', ''), tally_cst_month(u.updated_at)),
                   u.c->>'department', u.c->>'credential', 'target', u.id, 'current_figure',
                   u.old_figure::text, u.current_figure::text, COALESCE(u.c->>'note', ''), u.c->>'request_id',
                   jsonb_build_object(
                       'id', u.id, 'department', u.department, 'line', u.line, 'name', u.name, 'unit', u.unit,
                       'direction', u.direction, 'target_figure', u.target_figure::text,
                       'current_figure', u.current_figure::text, 'period', u.period, 'qualifier', u.qualifier,
                       'version', u.version, 'note', u.note, 'sort_order', u.sort_order),
                   (u.c->>'made_at')::timestamptz
            FROM updated u, head
            RETURNING \(ChangeLogReader.columns)
        ), stored AS (
            INSERT INTO requests (credential, request_id, result, fingerprint)
            SELECT u.c->>'credential', u.c->>'request_id',
                   jsonb_build_object('sequence', head.sequence, 'replayed', false, 'target_logged', true),
                   tally_request_fingerprint(u.c)
            FROM updated u, head
        )
        SELECT l.* FROM head
          LEFT JOIN logged l ON true
          LEFT JOIN LATERAL (SELECT pg_notify('tally_changes', l.sequence::text) WHERE $2 AND l.sequence IS NOT NULL) n ON true
         WHERE l.sequence IS NOT NULL
            OR tally_fail('40001', 'the target changed while the report waited for it; send it again') IS NULL
        """

    /// Whether the writer tries the statement for a command: a department's report of an increment
    /// with no set value and no expected version. Only a hint, to spare other commands a round trip:
    /// the statement itself decides, by the rule in SQL.
    static func mayApply(_ command: WriteCommand, _ envelope: WriteCommand.Envelope) -> Bool {
        guard case .reportTarget(let fields) = command, envelope.role == Role.department.rawValue,
              envelope.request_id?.isEmpty == false else { return false }
        return fields.increment != nil && fields.set_value == nil && (fields.expected_version ?? 0) == 0
    }

    /// Prepares the two statements on a connection (the writer's lanes, `tally bench`'s line of them).
    public static func prepare(on connection: PostgresConnection) throws {
        try connection.execute("PREPARE \(headStatementName) AS " + headSQL)
        try connection.execute("PREPARE \(statementName)(jsonb, boolean) AS " + sql)
    }

    /// The two statements for one command's JSON object, to send in one pipeline (one round trip,
    /// one implicit transaction) on a connection they were prepared on.
    public static func statements(_ json: Data, notify: Bool) -> [Statement] {
        [Statement.prepared(headStatementName),
         Statement.prepared(statementName, [.text(String(decoding: json, as: UTF8.self)), .bool(notify)])]
    }
}
