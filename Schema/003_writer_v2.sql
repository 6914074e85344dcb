-- Tally schema v3: the writer without deadlocks between servers, with request ids bound to their
-- request, and a period report's note kept on its target updates.
--
-- Lock order. Every batch takes the change_log_head row lock FIRST (before any target, project or
-- request row), and holds it until commit. Two servers' batches therefore never hold rows the other
-- waits for: the second waits on the head, at the start, holding nothing. Under v2 the head was
-- locked at a batch's first change, after that command's row lock, so server A (target X, then
-- head) and server B (target Y, then head, then X) could deadlock, and the deadlock was caught by
-- the command's subtransaction and reached a client as ABORTED.
--
-- A deadlock or serialization failure that still happens (a transaction outside the writer holding
-- rows) is no longer caught per command: it aborts the whole batch, which the server's writer
-- retries. SQLSTATE 40P01/40001 never becomes a command's answer.
--
-- Idempotency: a request id belongs to one credential and one request. The stored outcome keeps a
-- fingerprint of the command (everything but the request id and the server-chosen period); a retry
-- with the same id and the same fingerprint replays, the same id with another request is refused.

-- Errors: SQL raises Tally's own named codes (SQLSTATE class TL) and never a status number; the
-- server's one map (StatusMapping.writeStatus, Swift) turns them into call statuses:
--     TLARG  the request is wrong for this row (unit, figure, reused request id ...)
--     TLNOT  the row does not exist           TLDUP  the row exists already
--     TLDNY  not this credential's row/role   TLORD  out of order (a stage moving back)
--     TLVER  stale version (hint: the current version)   TLREV  the credential is revoked
-- The functions of v2 still name their codes by number; tally_fail translates them.
-- A failed command answers {"error": "<SQLSTATE>", "message": "...", "metadata": {...}};
-- a success carries no status. tally_status_of (status numbers in SQL) is gone.

CREATE OR REPLACE FUNCTION tally_fail(code text, message text, hint text DEFAULT '') RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = message, HINT = hint, ERRCODE = CASE code
        WHEN 'TL003' THEN 'TLARG' WHEN 'TL005' THEN 'TLNOT' WHEN 'TL006' THEN 'TLDUP'
        WHEN 'TL007' THEN 'TLDNY' WHEN 'TL009' THEN 'TLORD' WHEN 'TL010' THEN 'TLVER'
        WHEN 'TL016' THEN 'TLREV' ELSE code END;
END $$;

ALTER TABLE requests ADD COLUMN fingerprint text NOT NULL DEFAULT '';

-- What identifies a request apart from its id: the command without request id and period.
CREATE FUNCTION tally_request_fingerprint(cmd jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT md5((cmd - 'request_id' - 'period')::text)
$$;

-- The stored first outcome of a request id, or NULL; raises when the id was used for another request.
CREATE FUNCTION tally_replay(cmd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    stored requests;
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
    RETURN stored.result || jsonb_build_object('replayed', true);
END $$;

-- A period report's note counts for each of its updates that has no note of its own (v2 took the
-- update's empty note over the report's for targets; projects already fell back). Only checks that
-- need the row remain here (existence, ownership, unit, version, the resulting figure).
CREATE OR REPLACE FUNCTION tally_do_report_target(cmd jsonb, upd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    t targets;
    old_figure numeric;
    new_figure numeric;
    expected bigint := COALESCE((upd->>'expected_version')::bigint, 0);
    given_note text := COALESCE(NULLIF(upd->>'note', ''), cmd->>'note', '');
    seq bigint;
BEGIN
    SELECT * INTO t FROM targets WHERE id = upd->>'target_id' FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM tally_fail('TLNOT', format('target "%s" does not exist', upd->>'target_id'));
    END IF;
    IF t.department IS DISTINCT FROM cmd->>'department' THEN
        PERFORM tally_fail('TLDNY', format('target "%s" belongs to %s; this credential reports for %s',
            t.id, tally_department_label(t.department), tally_department_label(cmd->>'department')));
    END IF;
    IF COALESCE(upd->>'unit', '') <> '' AND upd->>'unit' <> t.unit THEN
        PERFORM tally_fail('TLARG', format('unit "%s" does not match target "%s", which is measured in "%s"',
            upd->>'unit', t.id, t.unit));
    END IF;
    IF expected > 0 AND expected <> t.version THEN
        PERFORM tally_fail('TLVER', format('stale version: target "%s" is at version %s, the request expected %s; read it again and retry',
            t.id, t.version, expected), t.version::text);
    END IF;
    -- The request's shape (one of set_value and increment, exact decimals) is the server's to check.
    new_figure := COALESCE((upd->>'set_value')::numeric, t.current_figure + (upd->>'increment')::numeric);
    IF new_figure < 0 THEN
        PERFORM tally_fail('TLARG', format('figure of target "%s" must not be negative (it would become %s)',
            t.id, new_figure));
    END IF;
    IF t.unit = '项' AND new_figure NOT IN (0, 1) THEN
        PERFORM tally_fail('TLARG', format('target "%s" is a task (unit 项): its figure is 1 when done and 0 when not, not %s',
            t.id, new_figure));
    END IF;
    old_figure := t.current_figure;
    UPDATE targets SET current_figure = new_figure, version = version + 1,
                       note = COALESCE(NULLIF(given_note, ''), targets.note), updated_at = clock_timestamp()
     WHERE id = t.id RETURNING * INTO t;
    seq := tally_log(cmd || jsonb_build_object('note', given_note),
                     'target', t.id, 'current_figure', old_figure::text, new_figure::text,
                     tally_target_json(t));
    RETURN jsonb_build_object('sequence', seq, 'target', tally_target_json(t));
END $$;

-- One owner per rule: the request's shape (roles, a stage that is a stage, percent in 0..100, a
-- name, at least one update, non-negative figures) is checked by the server before a command is
-- queued (Services/Validation, the access interceptor); these functions keep only what needs the
-- row: existence, ownership, versions, stage order, a correction's reason.
CREATE OR REPLACE FUNCTION tally_do_report_project(cmd jsonb, upd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    p projects;
    expected bigint := COALESCE((upd->>'expected_version')::bigint, 0);
    new_stage text := NULLIF(upd->>'stage', '');
    new_investment numeric := NULLIF(upd->>'investment_completed', '')::numeric;
    new_percent numeric := NULLIF(upd->>'percent', '')::numeric;
    correction boolean := COALESCE((upd->>'correction')::boolean, false);
    reason text := COALESCE(upd->>'correction_reason', '');
    note text := COALESCE(NULLIF(upd->>'note', ''), cmd->>'note', '');
    entry jsonb;
    seq bigint;
    first_seq bigint;
BEGIN
    SELECT * INTO p FROM projects WHERE id = upd->>'project_id' FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM tally_fail('TLNOT', format('project "%s" does not exist', upd->>'project_id'));
    END IF;
    IF p.lead_department IS DISTINCT FROM cmd->>'department' AND NOT EXISTS (
        SELECT 1 FROM project_departments WHERE project = p.id AND department = cmd->>'department') THEN
        PERFORM tally_fail('TLDNY', format('project "%s" (%s) is led by %s and not co-reported by %s',
            p.id, p.name, tally_department_label(p.lead_department), tally_department_label(cmd->>'department')));
    END IF;
    IF expected > 0 AND expected <> p.version THEN
        PERFORM tally_fail('TLVER', format('stale version: project "%s" is at version %s, the request expected %s; read it again and retry',
            p.id, p.version, expected), p.version::text);
    END IF;
    IF new_stage IS NOT NULL AND tally_stage_rank(new_stage) < tally_stage_rank(p.stage) THEN
        IF NOT correction THEN
            PERFORM tally_fail('TLORD', format('stage of project "%s" cannot move back from %s to %s without the correction flag and a reason',
                p.id, tally_stage_label(p.stage), tally_stage_label(new_stage)));
        END IF;
        IF btrim(reason) = '' THEN
            PERFORM tally_fail('TLARG', 'correction_reason: a correction that moves a stage back needs a reason');
        END IF;
        note := btrim(concat_ws('; ', NULLIF(note, ''), '更正 correction: ' || reason));
    END IF;

    UPDATE projects SET stage = COALESCE(new_stage, stage),
                        investment_completed = COALESCE(new_investment, investment_completed),
                        percent = COALESCE(new_percent, percent),
                        version = version + 1, updated_at = clock_timestamp()
     WHERE id = p.id;
    entry := tally_project_json(p.id);
    cmd := cmd || jsonb_build_object('note', note);
    -- One log entry per field that changed, so a project's history reads field by field.
    IF new_stage IS NOT NULL AND new_stage <> p.stage THEN
        seq := tally_log(cmd, 'project', p.id, 'stage', p.stage, new_stage, entry);
        first_seq := COALESCE(first_seq, seq);
    END IF;
    IF new_investment IS NOT NULL AND new_investment <> p.investment_completed THEN
        seq := tally_log(cmd, 'project', p.id, 'investment_completed', p.investment_completed::text,
                         new_investment::text, entry);
        first_seq := COALESCE(first_seq, seq);
    END IF;
    IF new_percent IS NOT NULL AND new_percent <> p.percent THEN
        seq := tally_log(cmd, 'project', p.id, 'percent', p.percent::text, new_percent::text, entry);
        first_seq := COALESCE(first_seq, seq);
    END IF;
    IF seq IS NULL THEN -- the same values again: still a report, logged once
        seq := tally_log(cmd, 'project', p.id, 'reported', '', '', entry);
        first_seq := COALESCE(first_seq, seq);
    END IF;
    RETURN jsonb_build_object('sequence', seq, 'first_sequence', first_seq, 'project', entry);
END $$;

CREATE OR REPLACE FUNCTION tally_do_register_project(cmd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    b batches;
    pid text := NULLIF(cmd->>'project_id', '');
    pname text := btrim(COALESCE(cmd->>'name', ''));
    co text;
    entry jsonb;
    seq bigint;
BEGIN
    SELECT * INTO b FROM batches WHERE id = cmd->>'batch_id';
    IF NOT FOUND THEN
        PERFORM tally_fail('TLNOT', format('batch "%s" does not exist', cmd->>'batch_id'));
    END IF;
    IF b.department IS DISTINCT FROM cmd->>'department' THEN
        PERFORM tally_fail('TLDNY', format('batch "%s" belongs to %s; this credential reports for %s',
            b.id, tally_department_label(b.department), tally_department_label(cmd->>'department')));
    END IF;
    pid := COALESCE(pid, 'p-' || substr(md5(b.id || '/' || pname), 1, 12));
    IF EXISTS (SELECT 1 FROM projects WHERE id = pid) THEN
        PERFORM tally_fail('TLDUP', format('project "%s" already exists', pid));
    END IF;
    INSERT INTO projects (id, name, lead_department, line, batch, planned_investment, stage, sort_order)
    VALUES (pid, pname, b.department, b.line, b.id, NULLIF(cmd->>'planned_investment', '')::numeric,
            COALESCE(NULLIF(cmd->>'stage', ''), 'planned'),
            (SELECT COALESCE(max(sort_order), 0) + 1 FROM projects));
    FOR co IN SELECT jsonb_array_elements_text(COALESCE(cmd->'co_departments', '[]'::jsonb)) LOOP
        IF NOT EXISTS (SELECT 1 FROM departments WHERE code = co) THEN
            PERFORM tally_fail('TLNOT', format('co-reporting department "%s" does not exist', co));
        END IF;
        IF co <> b.department THEN
            INSERT INTO project_departments VALUES (pid, co) ON CONFLICT DO NOTHING;
        END IF;
    END LOOP;
    entry := tally_project_json(pid);
    seq := tally_log(cmd, 'register', pid, 'project', '', pname, entry);
    RETURN jsonb_build_object('sequence', seq, 'project', entry);
END $$;

CREATE OR REPLACE FUNCTION tally_do_period_report(cmd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    upd jsonb;
    one jsonb;
    idx int := 0;
    targets_out jsonb := '[]';
    projects_out jsonb := '[]';
    first_seq bigint;
    last_seq bigint;
BEGIN
    FOR upd IN SELECT jsonb_array_elements(cmd->'updates') LOOP
        idx := idx + 1;
        BEGIN
            IF upd ? 'target_id' THEN
                one := tally_do_report_target(cmd, upd);
                targets_out := targets_out || jsonb_build_array(one->'target');
            ELSE
                one := tally_do_report_project(cmd, upd);
                projects_out := projects_out || jsonb_build_array(one->'project');
            END IF;
        EXCEPTION WHEN OTHERS THEN
            -- Re-raise with the position of the failing update, keeping its code.
            RAISE EXCEPTION USING ERRCODE = SQLSTATE,
                MESSAGE = format('update %s of %s: %s', idx, jsonb_array_length(cmd->'updates'), SQLERRM);
        END;
        first_seq := COALESCE(first_seq, (one->>'first_sequence')::bigint, (one->>'sequence')::bigint);
        last_seq := (one->>'sequence')::bigint;
    END LOOP;
    RETURN jsonb_build_object('targets', targets_out, 'projects', projects_out,
                              'first_sequence', first_seq, 'last_sequence', last_seq,
                              'sequence', last_seq);
END $$;

-- Runs one command (see v2); a request id used before replays its first outcome only for the same
-- request, and the outcome is stored with the request's fingerprint.
CREATE OR REPLACE FUNCTION tally_apply_one(cmd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    rid text := NULLIF(cmd->>'request_id', '');
    stored jsonb;
    outcome jsonb;
BEGIN
    IF EXISTS (SELECT 1 FROM credentials WHERE id = cmd->>'credential' AND revoked_at IS NOT NULL) THEN
        PERFORM tally_fail('TLREV', format('credential %s has been revoked', cmd->>'credential'));
    END IF;
    IF rid IS NOT NULL THEN
        stored := tally_replay(cmd);
        IF stored IS NOT NULL THEN
            RETURN stored;
        END IF;
    END IF;
    outcome := CASE cmd->>'op'
        WHEN 'report_target' THEN tally_do_report_target(cmd, cmd)
        WHEN 'report_project' THEN tally_do_report_project(cmd, cmd)
        WHEN 'register_project' THEN tally_do_register_project(cmd)
        WHEN 'period_report' THEN tally_do_period_report(cmd)
        WHEN 'upsert' THEN tally_do_upsert(cmd)
    END;
    IF outcome IS NULL THEN
        PERFORM tally_fail('TLARG', format('unknown operation "%s"', cmd->>'op'));
    END IF;
    outcome := outcome || jsonb_build_object('replayed', false);
    IF rid IS NOT NULL THEN
        INSERT INTO requests (credential, request_id, result, fingerprint)
        VALUES (cmd->>'credential', rid, outcome, tally_request_fingerprint(cmd));
    END IF;
    RETURN outcome;
END $$;

-- Set-based apply of a batch's plain increments: report_target with a non-negative increment,
-- no expected_version, a department credential that is not revoked, a request id new to the
-- database and to the batch, a target of that department that is not a task (unit 项) and whose
-- unit matches when one is named. For those, one statement updates every target once, inserts
-- every log entry and every stored outcome, and answers each command; the per-command checks of
-- tally_do_report_target are exactly the conditions above, so any command outside them (or a
-- failing one) goes through the per-command path and fails alone there.
-- Returns {"ords": [...], "results": [...], "count": n}; sequences head+1 .. head+n, in batch order.
-- PL/pgSQL around one statement so that its plan is cached per session (a LANGUAGE sql function
-- would plan this statement again on every call).
CREATE FUNCTION tally_apply_increments(cmds jsonb, head bigint) RETURNS jsonb
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
      AND NOT EXISTS (SELECT 1 FROM requests r
                       WHERE r.credential = c.cmd->>'credential' AND r.request_id = c.cmd->>'request_id')
      AND NOT EXISTS (SELECT 1 FROM credentials k
                       WHERE k.id = c.cmd->>'credential' AND k.revoked_at IS NOT NULL)
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
               'sort_order', r.sort_order) AS entity
    FROM running r
), updated AS (
    UPDATE targets t SET current_figure = l.new_figure, version = l.new_version, note = l.row_note,
                         updated_at = l.at
    FROM (SELECT DISTINCT ON (id) id, new_figure, new_version, row_note, at
          FROM changed ORDER BY id, ord DESC) l
    WHERE t.id = l.id
), logged AS (
    INSERT INTO change_log (sequence, committed_at, period, department, credential, kind, subject_id,
                            field, old_value, new_value, note, request_id, entity)
    SELECT seq, at, COALESCE(NULLIF(cmd->>'period', ''), tally_cst_month(at)), cmd->>'department',
           cmd->>'credential', 'target', id, 'current_figure', old_figure::text,
           new_figure::text, COALESCE(cmd->>'note', ''), cmd->>'request_id', entity
    FROM changed
), answered AS (
    SELECT ord, cmd, jsonb_build_object('sequence', seq, 'target', entity, 'replayed', false) AS result
    FROM changed
), stored AS (
    INSERT INTO requests (credential, request_id, result, fingerprint)
    SELECT cmd->>'credential', cmd->>'request_id', result, tally_request_fingerprint(cmd) FROM answered
)
SELECT jsonb_build_object('ords', COALESCE(jsonb_agg(ord ORDER BY ord), '[]'),
                          'results', COALESCE(jsonb_agg(result ORDER BY ord), '[]'),
                          'count', count(*))
INTO answer
FROM answered;
RETURN answer;
END $$;

-- Group commit: the head first, then the reported target rows in id order (one global lock order);
-- the plain increments set-based, then every other command in its own subtransaction.
CREATE OR REPLACE FUNCTION tally_apply_batch(cmds jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    cmd jsonb;
    results jsonb[] := '{}';
    r jsonb;
    st text;
    msg text;
    hint text;
    constraint_name text;
    head bigint;
    last_sequence bigint;
    fast jsonb;
    done jsonb[] := '{}';
    ord int;
    i int;
BEGIN
    SELECT sequence INTO head FROM change_log_head WHERE id = 1 FOR UPDATE;
    -- Where this batch's changes start: the writer reads them back in the same transaction
    -- (ChangeLogReader.batchChanges) and hands them to its server's watchers directly.
    PERFORM set_config('tally.batch_head', head::text, true);
    -- Then the target rows the batch reports on, in id order.
    PERFORM 1 FROM targets
     WHERE id IN (SELECT e->>'target_id' FROM jsonb_array_elements(cmds) e WHERE e->>'op' = 'report_target')
     ORDER BY id FOR UPDATE;
    BEGIN
        -- A batch of one or two goes the per-command way: the set statement costs more to start.
        fast := CASE WHEN jsonb_array_length(cmds) >= 3 THEN tally_apply_increments(cmds, head)
                     ELSE '{"ords": [], "results": [], "count": 0}' END;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
        IF st IN ('40P01', '40001') THEN
            RAISE;
        END IF;
        fast := '{"ords": [], "results": [], "count": 0}';  -- every command takes the per-command path
    END;
    FOR i IN 0 .. (fast->>'count')::int - 1 LOOP
        done[(fast->'ords'->>i)::int] := fast->'results'->i;
    END LOOP;
    PERFORM set_config('tally.sequence', (head + (fast->>'count')::int)::text, true);
    FOR ord IN 1 .. jsonb_array_length(cmds) LOOP
        IF done[ord] IS NOT NULL THEN
            results := results || done[ord];
            CONTINUE;
        END IF;
        cmd := cmds->(ord - 1);
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
        results := results || r;
    END LOOP;
    last_sequence := current_setting('tally.sequence')::bigint;
    IF last_sequence > head THEN
        UPDATE change_log_head SET sequence = last_sequence WHERE id = 1;
        PERFORM pg_notify('tally_changes', last_sequence::text);
    END IF;
    RETURN to_jsonb(results);
END $$;

DROP FUNCTION tally_status_of(text);
