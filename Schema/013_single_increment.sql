-- Tally schema 013: a batch of one plain increment (a lone department's report) is applied by one
-- statement (issue #11, write path).
--
-- A batch of one or two used to go the per-command way (tally_apply_one in a subtransaction, the
-- report in PL/pgSQL statement by statement, the target built twice), because the set statement of
-- Schema/012 costs more to start than it saves on so few rows. At light load nearly every batch is a
-- single command, so that path was a lone department's latency. tally_apply_increment is the rule of
-- tally_apply_increments (Schema/012) for one command, as one small statement: the same checks, the
-- same rows written, the same answer, the same lock order (the head, then the target). A command it
-- does not take (another operation, a set_value, an expected_version, a request id already used, a
-- target of another department, ...) goes on to Schema/012's function, renamed
-- tally_apply_commands, which names the problem. No subtransaction: the one statement only filters,
-- and if it failed all the same, the batch is that one command.

-- tally_cst_month (Schema/002) was declared IMMUTABLE around to_char, which is only STABLE, so
-- PostgreSQL would not inline it: every statement that logged a change without a period parsed and
-- planned its SQL body again (about 40 µs a statement, measured with perf on a lone department's
-- batch). Declared STABLE, what it is, it is inlined into the cached plans that use it.
ALTER FUNCTION tally_cst_month(timestamptz) STABLE;

-- The batch's answer (a one-element array, in the writer's form) when cmd is a plain increment it
-- applied at the next sequence, else NULL (nothing written; the change-log head is then held).
CREATE FUNCTION tally_apply_increment(cmd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    head bigint;
    answer jsonb;
BEGIN
    IF NOT (cmd->>'op' = 'report_target' AND cmd->>'role' = 'department'
            AND COALESCE(cmd->>'request_id', '') <> '' AND NOT cmd ? 'set_value'
            AND COALESCE(cmd->>'increment', '') ~ '^[0-9]{1,18}(\.[0-9]{1,6})?$'
            AND COALESCE((cmd->>'expected_version')::bigint, 0) = 0) THEN
        RETURN NULL;
    END IF;
    SELECT sequence INTO head FROM change_log_head WHERE id = 1 FOR UPDATE;
    PERFORM 1 FROM targets WHERE id = cmd->>'target_id' FOR UPDATE;
    WITH eligible AS (
        SELECT t.id, t.current_figure AS old_figure, t.current_figure + (cmd->>'increment')::numeric AS new_figure,
               t.version + 1 AS new_version, COALESCE(NULLIF(cmd->>'note', ''), t.note) AS new_note,
               clock_timestamp() AS at
        FROM targets t
        WHERE t.id = cmd->>'target_id' AND t.department = cmd->>'department' AND t.unit <> '项'
          AND (COALESCE(cmd->>'unit', '') = '' OR cmd->>'unit' = t.unit)
          AND NOT EXISTS (SELECT 1 FROM credentials k
                           WHERE k.id = cmd->>'credential' AND k.revoked_at IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM requests r
                           WHERE r.credential = cmd->>'credential' AND r.request_id = cmd->>'request_id')
    ), updated AS (
        UPDATE targets t SET current_figure = e.new_figure, version = e.new_version, note = e.new_note,
                             updated_at = e.at
        FROM eligible e
        WHERE t.id = e.id
        RETURNING t.*, e.old_figure, e.at
    ), logged AS (
        INSERT INTO change_log (sequence, committed_at, period, department, credential, kind, subject_id,
                                field, old_value, new_value, note, request_id, entity, made_at)
        SELECT head + 1, u.at, COALESCE(NULLIF(cmd->>'period', ''), tally_cst_month(u.at)),
               cmd->>'department', cmd->>'credential', 'target', u.id, 'current_figure',
               u.old_figure::text, u.current_figure::text, COALESCE(cmd->>'note', ''), cmd->>'request_id',
               jsonb_build_object(
                   'id', u.id, 'department', u.department, 'line', u.line, 'name', u.name, 'unit', u.unit,
                   'direction', u.direction, 'target_figure', u.target_figure::text,
                   'current_figure', u.current_figure::text, 'period', u.period, 'qualifier', u.qualifier,
                   'version', u.version, 'note', u.note, 'sort_order', u.sort_order),
               (cmd->>'made_at')::timestamptz
        FROM updated u
    ), stored AS (
        INSERT INTO requests (credential, request_id, result, fingerprint)
        SELECT cmd->>'credential', cmd->>'request_id',
               jsonb_build_object('sequence', head + 1, 'replayed', false, 'target_logged', true),
               tally_request_fingerprint(cmd)
        FROM updated
    )
    SELECT jsonb_build_array(jsonb_build_object('sequence', head + 1, 'replayed', false, 'target_logged', true))
      INTO answer
      FROM updated;
    IF answer IS NULL THEN
        RETURN NULL;
    END IF;
    -- What tally_apply_commands leaves for the writer's read of the batch's changes (and tally_log).
    PERFORM set_config('tally.batch_head', head::text, true), set_config('tally.sequence', (head + 1)::text, true);
    UPDATE change_log_head SET sequence = head + 1 WHERE id = 1;
    PERFORM pg_notify('tally_changes', (head + 1)::text);
    RETURN answer;
END $$;

-- Group commit, the writer's one call (Sources/TallyCore/Writer/Writer.swift): a batch of one plain
-- increment by tally_apply_increment, every other batch as before (Schema/012).
ALTER FUNCTION tally_apply_batch(jsonb) RENAME TO tally_apply_commands;
CREATE FUNCTION tally_apply_batch(cmds jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    answer jsonb;
BEGIN
    IF jsonb_array_length(cmds) = 1 THEN
        answer := tally_apply_increment(cmds->0);
        IF answer IS NOT NULL THEN
            RETURN answer;
        END IF;
    END IF;
    RETURN tally_apply_commands(cmds);
END $$;
