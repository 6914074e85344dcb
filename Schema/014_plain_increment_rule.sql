-- Tally schema 014: the rule of a plain increment in one place, and a write path without
-- MultiXacts (issue #11, write path).
--
-- 1. One owner for the rule. Which commands the short paths take (Schema/012's set statement,
-- Schema/013's single statement) was written out in each of them, and the batch function's lock of
-- those commands' targets needs it a third time. It is now two functions, which PostgreSQL inlines
-- into each statement (plain SQL, one expression, no table): tally_is_plain_increment, what the
-- command says, and tally_increment_fits, what its target must be. What needs other rows (a
-- revoked credential, a request id already used) stays in each statement in the form that suits
-- one row or a set. The single statement's test used to let a command without an op or a role
-- through to its target checks (NULL, not false); the function answers false.
--
-- 2. No MultiXacts. tally_apply_commands (Schema/012's batch function, renamed by Schema/013)
-- locked the batch's target rows in id order in the batch's own transaction and then updated them
-- in a subtransaction (the EXCEPTION block around the set statement, and each command's block on
-- the per-command path). A row locked by a transaction and then updated by one of its
-- subtransactions gets a MultiXact as its xmax (the locker and the updater are two transaction
-- ids): with pageinspect, 148 of 247 tuple versions of targets had HEAP_XMAX_IS_MULTI after 20
-- batches of 40 reports, and `tally bench --mode updates` created 525 MultiXacts in 15,808
-- reports (one a batch: the rows of a batch share one). Each costs an SLRU entry and a WAL record,
-- every later reader of such a tuple looks its members up, and under sustained load they use up
-- MultiXact ids (an anti-wraparound vacuum of targets every autovacuum_multixact_freeze_max_age,
-- 400 million by default: about six weeks at a hundred batches a second).
--
-- Now the rows the set statement may update (those of plain increments) are locked in the
-- subtransaction that updates them (same id order, still after the change-log head), and a
-- command that goes the per-command way locks its row in its own subtransaction, as
-- tally_apply_one always did. Every batch still takes the change-log head first, so two batches
-- (of one server or of several) never wait on each other's rows. A MultiXact remains only where
-- one batch writes a target twice and the second write goes the per-command way (a row one
-- subtransaction wrote and a later one locks and updates gets one: two reports of one target in a
-- batch of two, or a set_value or a versioned report of a target that plain increments of the same
-- batch moved), which is rare: set-based increments of one target in one batch take none.

-- A plain increment, as the command states it: a department's report_target with a request id, a
-- non-negative increment of at most 18 integer and 6 fractional digits, no set_value and no
-- expected_version. Never NULL.
CREATE FUNCTION tally_is_plain_increment(cmd jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(cmd->>'op' = 'report_target' AND cmd->>'role' = 'department'
                    AND COALESCE(cmd->>'request_id', '') <> '' AND NOT cmd ? 'set_value'
                    AND COALESCE(cmd->>'increment', '') ~ '^[0-9]{1,18}(\.[0-9]{1,6})?$'
                    AND COALESCE((cmd->>'expected_version')::bigint, 0) = 0, false)
$$;

-- Whether a plain increment's target takes it: the reporting department's, not a task (unit 项,
-- done or not, goes the per-command way), and in the unit the command names, when it names one.
CREATE FUNCTION tally_increment_fits(cmd jsonb, target_department text, target_unit text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(target_department = cmd->>'department' AND target_unit <> '项'
                    AND (COALESCE(cmd->>'unit', '') = '' OR cmd->>'unit' = target_unit), false)
$$;

-- Schema/012's set statement, the rule by the functions above.
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
    WHERE tally_is_plain_increment(c.cmd) AND c.same_id = 1
      AND c.cmd->>'credential' <> ALL (ARRAY(SELECT k.id FROM credentials k WHERE k.revoked_at IS NOT NULL))
      AND NOT EXISTS (SELECT 1 FROM requests r
                       WHERE r.credential = c.cmd->>'credential' AND r.request_id = c.cmd->>'request_id')
), eligible AS (
    SELECT p.ord, p.cmd, (p.cmd->>'increment')::numeric AS amount, t.*
    FROM plain p JOIN targets t ON t.id = p.target_id
    WHERE tally_increment_fits(p.cmd, t.department, t.unit)
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

-- Schema/013's single statement, the rule by the functions above.
CREATE OR REPLACE FUNCTION tally_apply_increment(cmd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    head bigint;
    answer jsonb;
BEGIN
    IF NOT tally_is_plain_increment(cmd) THEN
        RETURN NULL;
    END IF;
    SELECT sequence INTO head FROM change_log_head WHERE id = 1 FOR UPDATE;
    PERFORM 1 FROM targets WHERE id = cmd->>'target_id' FOR UPDATE;
    WITH eligible AS (
        SELECT t.id, t.current_figure AS old_figure, t.current_figure + (cmd->>'increment')::numeric AS new_figure,
               t.version + 1 AS new_version, COALESCE(NULLIF(cmd->>'note', ''), t.note) AS new_note,
               clock_timestamp() AS at
        FROM targets t
        WHERE t.id = cmd->>'target_id' AND tally_increment_fits(cmd, t.department, t.unit)
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

-- Schema/012's batch function: the rows of plain increments locked where they are updated.
CREATE OR REPLACE FUNCTION tally_apply_commands(cmds jsonb) RETURNS jsonb
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
    -- A batch of one or two goes the per-command way: the set statement costs more to start.
    IF n >= 3 THEN
        BEGIN
            -- The rows the set statement may update, locked in id order in the subtransaction
            -- that updates them (every other command locks its own, one by one).
            PERFORM 1 FROM targets
             WHERE id IN (SELECT e->>'target_id' FROM jsonb_array_elements(cmds) e WHERE tally_is_plain_increment(e))
             ORDER BY id FOR UPDATE;
            fast := tally_apply_increments(cmds, head);
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
            IF st IN ('40P01', '40001') THEN
                RAISE;
            END IF;
            fast := NULL;  -- every command takes the per-command path
        END;
    END IF;
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
