-- Tally schema 012: the writer's batch statement, leaner (issue #11, write path).
--
-- tally_apply_batch stays the writer's one call, now a single function (the made_at wrapper of
-- Schema/005 folded in) that answers in the writer's form directly. Measured with the writer's
-- statements for a batch of 22 plain increments (PostgreSQL CPU of the one backend, psql script,
-- BENCHMARKS.md "Write path v4"). What changes, on the writer's path only (same rules, same errors):
--   * A fresh command's answer leaves its target out and says "target_logged": true; the target
--     is the entity of the change the writer reads back in the same round trip (what Schema/009's
--     tally_writer_answer did after the fact, which built each target only to drop it; dropped).
--     When every command of a batch went the set-based way, their answers are the batch's answer
--     (no per-command array building in PL/pgSQL).
--   * A set-based increment's stored outcome (requests.result) keeps its sequence and says
--     "target_logged" instead of holding a copy of the target; tally_replay adds the target back
--     from the change log (the entity logged at that sequence is the very target the answer had).
--   * made_at: the map for the change_log trigger is built only when a command has one; the
--     set-based path writes made_at itself, and the trigger runs only for rows that need it (a WHEN
--     clause: rows without made_at do not call PL/pgSQL at all).
--   * The revocation check is one hashed list per batch, not a scan of credentials per command.

DROP TRIGGER change_log_made_at ON change_log;
CREATE TRIGGER change_log_made_at BEFORE INSERT ON change_log
    FOR EACH ROW WHEN (NEW.made_at IS NULL AND NEW.request_id <> ''
                       AND current_setting('tally.made_at', true) <> '')
    EXECUTE FUNCTION tally_change_log_made_at();

-- The stored first outcome of a request id, or NULL; raises when the id was used for another request.
-- An outcome stored without its target ("target_logged") gets it back from the change log.
CREATE OR REPLACE FUNCTION tally_replay(cmd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    stored requests;
    result jsonb;
BEGIN
    SELECT * INTO stored FROM requests r
     WHERE r.credential = cmd->>'credential' AND r.request_id = cmd->>'request_id';
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF stored.fingerprint <> '' AND stored.fingerprint <> tally_request_fingerprint(cmd) THEN
        PERFORM tally_fail('TLARG', format(
            'request_id: request id "%s" was used for a different request; a new request needs a new request id',
            cmd->>'request_id'));
    END IF;
    result := stored.result;
    IF result ? 'target_logged' THEN
        result := (result - 'target_logged') || jsonb_build_object('target',
            (SELECT l.entity FROM change_log l WHERE l.sequence = (result->>'sequence')::bigint));
    END IF;
    RETURN result || jsonb_build_object('replayed', true);
END $$;

-- Set-based apply of a batch's plain increments (the rule of Schema/003, unchanged: report_target
-- with a non-negative increment, no expected_version, a department credential that is not revoked,
-- a request id new to the database and to the batch, a target of that department that is not a
-- task and whose unit matches when one is named). Answers {"ords": [...], "answers": [...]} in
-- batch order, in the writer's form; sequences head+1 .. head+n. PL/pgSQL around one statement so
-- that its plan is cached per session.
CREATE OR REPLACE FUNCTION tally_apply_increments(cmds jsonb, head bigint) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    answer jsonb;
BEGIN
WITH c AS (
    SELECT e.ord::int AS ord, e.cmd,
           count(*) OVER (PARTITION BY e.cmd->>'credential', e.cmd->>'request_id') AS same_id
    FROM jsonb_array_elements(cmds) WITH ORDINALITY AS e(cmd, ord)
), plain AS (
    SELECT c.ord, c.cmd, c.cmd->>'target_id' AS target_id
    FROM c
    WHERE c.cmd->>'op' = 'report_target' AND c.cmd->>'role' = 'department' AND c.same_id = 1
      AND COALESCE(c.cmd->>'request_id', '') <> '' AND NOT c.cmd ? 'set_value'
      AND COALESCE(c.cmd->>'increment', '') ~ '^[0-9]{1,18}(\.[0-9]{1,6})?$'
      AND COALESCE((c.cmd->>'expected_version')::bigint, 0) = 0
      AND c.cmd->>'credential' <> ALL (ARRAY(SELECT k.id FROM credentials k WHERE k.revoked_at IS NOT NULL))
      AND NOT EXISTS (SELECT 1 FROM requests r
                       WHERE r.credential = c.cmd->>'credential' AND r.request_id = c.cmd->>'request_id')
), eligible AS (
    SELECT p.ord, p.cmd, (p.cmd->>'increment')::numeric AS amount, t.*
    FROM plain p JOIN targets t ON t.id = p.target_id
    WHERE t.department = p.cmd->>'department' AND t.unit <> '项'
      AND (COALESCE(p.cmd->>'unit', '') = '' OR p.cmd->>'unit' = t.unit)
), running AS (
    SELECT e.*,
           head + row_number() OVER (ORDER BY e.ord) AS seq,
           e.current_figure + sum(e.amount) OVER w AS new_figure,
           e.current_figure + COALESCE(sum(e.amount) OVER earlier, 0) AS old_figure,
           e.version + row_number() OVER w AS new_version,
           array_remove(array_agg(NULLIF(e.cmd->>'note', '')) OVER w, NULL) AS notes,
           clock_timestamp() AS at
    FROM eligible e
    WINDOW w AS (PARTITION BY e.id ORDER BY e.ord ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
           earlier AS (PARTITION BY e.id ORDER BY e.ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
), changed AS (
    SELECT r.*, COALESCE(r.notes[array_upper(r.notes, 1)], r.note) AS row_note,
           jsonb_build_object(
               'id', r.id, 'department', r.department, 'line', r.line, 'name', r.name, 'unit', r.unit,
               'direction', r.direction, 'target_figure', r.target_figure::text,
               'current_figure', r.new_figure::text, 'period', r.period, 'qualifier', r.qualifier,
               'version', r.new_version, 'note', COALESCE(r.notes[array_upper(r.notes, 1)], r.note),
               'sort_order', r.sort_order) AS entity,
           jsonb_build_object('sequence', r.seq, 'replayed', false, 'target_logged', true) AS result
    FROM running r
), updated AS (
    UPDATE targets t SET current_figure = l.new_figure, version = l.new_version, note = l.row_note,
                         updated_at = l.at
    FROM (SELECT DISTINCT ON (id) id, new_figure, new_version, row_note, at
          FROM changed ORDER BY id, ord DESC) l
    WHERE t.id = l.id
), logged AS (
    INSERT INTO change_log (sequence, committed_at, period, department, credential, kind, subject_id,
                            field, old_value, new_value, note, request_id, entity, made_at)
    SELECT seq, at, COALESCE(NULLIF(cmd->>'period', ''), tally_cst_month(at)), cmd->>'department',
           cmd->>'credential', 'target', id, 'current_figure', old_figure::text,
           new_figure::text, COALESCE(cmd->>'note', ''), cmd->>'request_id', entity,
           (cmd->>'made_at')::timestamptz
    FROM changed
), stored AS (
    INSERT INTO requests (credential, request_id, result, fingerprint)
    SELECT cmd->>'credential', cmd->>'request_id', result, tally_request_fingerprint(cmd) FROM changed
)
SELECT jsonb_build_object('ords', COALESCE(jsonb_agg(ord ORDER BY ord), '[]'),
                          'answers', COALESCE(jsonb_agg(result ORDER BY ord), '[]'))
INTO answer
FROM changed;
RETURN answer;
END $$;

DROP FUNCTION tally_apply_batch(jsonb);
DROP FUNCTION tally_apply_batch_unstamped(jsonb);
DROP FUNCTION tally_writer_answer(jsonb);

-- Group commit, the writer's one call (Sources/TallyCore/Writer/Writer.swift): the change-log head
-- first, then the reported target rows in id order (one global lock order, Schema/003); plain
-- increments set-based, every other command in its own subtransaction (tally_apply_one); one head
-- update and one NOTIFY. Returns one answer per command, a fresh one without its target.
CREATE FUNCTION tally_apply_batch(cmds jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    n int := jsonb_array_length(cmds);
    head bigint;
    fast jsonb;
    fast_count int;
    answers jsonb[];
    cmd jsonb;
    r jsonb;
    st text;
    msg text;
    hint text;
    constraint_name text;
    last_sequence bigint;
    i int;
BEGIN
    SELECT sequence INTO head FROM change_log_head WHERE id = 1 FOR UPDATE;
    PERFORM set_config('tally.batch_head', head::text, true);
    IF cmds @? '$[*].made_at' THEN
        PERFORM set_config('tally.made_at', (SELECT jsonb_object_agg(COALESCE(c->>'credential', '') || ' ' || (c->>'request_id'), c->>'made_at')::text
               FROM jsonb_array_elements(cmds) c WHERE c ? 'made_at' AND c ? 'request_id'), true);
    ELSE
        PERFORM set_config('tally.made_at', '', true);
    END IF;
    PERFORM 1 FROM targets
     WHERE id IN (SELECT e->>'target_id' FROM jsonb_array_elements(cmds) e WHERE e->>'op' = 'report_target')
     ORDER BY id FOR UPDATE;
    BEGIN
        -- A batch of one or two goes the per-command way: the set statement costs more to start.
        fast := CASE WHEN n >= 3 THEN tally_apply_increments(cmds, head) END;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
        IF st IN ('40P01', '40001') THEN
            RAISE;
        END IF;
        fast := NULL;  -- every command takes the per-command path
    END;
    fast_count := COALESCE(jsonb_array_length(fast->'ords'), 0);
    PERFORM set_config('tally.sequence', (head + fast_count)::text, true);
    IF fast_count = n THEN
        answers := NULL;  -- every command went the set-based way: its answers are the batch's
    ELSE
        answers := array_fill(NULL::jsonb, ARRAY[n]);
        FOR i IN 0 .. fast_count - 1 LOOP
            answers[(fast->'ords'->>i)::int] := fast->'answers'->i;
        END LOOP;
        FOR i IN 1 .. n LOOP
            CONTINUE WHEN answers[i] IS NOT NULL;
            cmd := cmds->(i - 1);
            BEGIN
                r := tally_apply_one(cmd);
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT,
                                        constraint_name = CONSTRAINT_NAME;
                IF st IN ('40P01', '40001') THEN
                    RAISE;  -- the whole batch is retried by the writer; never one command's answer
                END IF;
                r := NULL;
                IF st = '23505' AND constraint_name = 'requests_pkey' THEN
                    -- The same request id committed meanwhile through another server: answer with its outcome.
                    BEGIN
                        r := tally_replay(cmd);
                    EXCEPTION WHEN OTHERS THEN
                        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
                    END;
                END IF;
                IF r IS NULL THEN
                    r := jsonb_build_object('error', st, 'message', msg);
                    IF st = 'TLVER' AND hint <> '' THEN
                        r := r || jsonb_build_object('metadata', jsonb_build_object('current_version', hint));
                    END IF;
                END IF;
            END;
            -- A fresh outcome's target is the entity of the change it logged (the writer reads it back).
            IF r ? 'target' AND r->>'replayed' = 'false' AND r ? 'sequence' THEN
                r := (r - 'target') || '{"target_logged": true}';
            END IF;
            answers[i] := r;
        END LOOP;
    END IF;
    last_sequence := current_setting('tally.sequence')::bigint;
    IF last_sequence > head THEN
        UPDATE change_log_head SET sequence = last_sequence WHERE id = 1;
        PERFORM pg_notify('tally_changes', last_sequence::text);
    END IF;
    RETURN CASE WHEN answers IS NULL THEN COALESCE(fast->'answers', '[]') ELSE to_jsonb(answers) END;
END $$;
