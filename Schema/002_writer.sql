-- Tally schema v2: the writer's functions.
--
-- The server's writer sends many commands from many departments as ONE statement,
--     SELECT tally_apply_batch($1::jsonb)
-- which is one transaction and one commit (group commit). Each command runs in its own
-- subtransaction (a BEGIN ... EXCEPTION block), so a bad command fails alone and the others commit.
-- The result is a JSON array with one object per command, in order:
--     {"status": 0, "sequence": 42, "replayed": false, "target": {...}}      on success
--     {"status": 10, "message": "...", "metadata": {"current_version": "5"}}  on failure
-- status is a gRPC status code. Errors are raised inside with custom SQLSTATEs:
--     TL003 INVALID_ARGUMENT, TL005 NOT_FOUND, TL006 ALREADY_EXISTS, TL007 PERMISSION_DENIED,
--     TL009 FAILED_PRECONDITION, TL010 ABORTED.
--
-- Every command object carries who sends it:
--     {"op": "...", "credential": "c-1", "role": "department", "department": "yinzhu",
--      "request_id": "...", "period": "2023-03" (optional), ...}

-- The CST month ('2023-01') an instant belongs to, whatever the server's time zone.
CREATE FUNCTION tally_cst_month(at timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char((at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM')
$$;

CREATE FUNCTION tally_stage_rank(stage text) RETURNS int LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE stage
        WHEN 'planned' THEN 1 WHEN 'signed' THEN 2 WHEN 'land_acquired' THEN 3
        WHEN 'under_construction' THEN 4 WHEN 'completed' THEN 5 WHEN 'in_production' THEN 6
    END
$$;

CREATE FUNCTION tally_stage_label(stage text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE stage
        WHEN 'planned' THEN '计划 (planned)' WHEN 'signed' THEN '签约 (signed)'
        WHEN 'land_acquired' THEN '拿地 (land_acquired)'
        WHEN 'under_construction' THEN '在建 (under_construction)'
        WHEN 'completed' THEN '竣工 (completed)' WHEN 'in_production' THEN '投产运营 (in_production)'
        ELSE stage
    END
$$;

CREATE FUNCTION tally_fail(code text, message text, hint text DEFAULT '') RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = code, MESSAGE = message, HINT = hint;
END $$;

-- A target's state as the JSON the change log and the results carry (numerics as exact strings).
CREATE FUNCTION tally_target_json(t targets) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', t.id, 'department', t.department, 'line', t.line, 'name', t.name, 'unit', t.unit,
        'direction', t.direction, 'target_figure', t.target_figure::text,
        'current_figure', t.current_figure::text, 'period', t.period, 'qualifier', t.qualifier,
        'version', t.version, 'note', t.note, 'sort_order', t.sort_order)
$$;

CREATE FUNCTION tally_project_json(project_id text) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', p.id, 'name', p.name, 'lead_department', p.lead_department,
        'co_departments', COALESCE((SELECT jsonb_agg(d.department ORDER BY d.department)
                                    FROM project_departments d WHERE d.project = p.id), '[]'::jsonb),
        'line', p.line, 'batch', p.batch, 'planned_investment', p.planned_investment::text,
        'investment_completed', p.investment_completed::text, 'percent', p.percent::text,
        'stage', p.stage, 'version', p.version, 'sort_order', p.sort_order)
    FROM projects p WHERE p.id = project_id
$$;

CREATE FUNCTION tally_batch_json(b batches) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', b.id, 'department', b.department, 'line', b.line, 'name', b.name,
        'planned_count', b.planned_count, 'planned_investment', b.planned_investment::text,
        'investment_qualifier', b.investment_qualifier, 'milestone', b.milestone, 'sort_order', b.sort_order)
$$;

-- Appends one change to the log and returns its sequence.
--
-- The first change of a transaction locks the change_log_head row (held until commit: sequences
-- follow commit order, no gaps); later ones count on in a transaction-local setting, which a failed
-- command's subtransaction rolls back with everything else. tally_apply_batch writes the final
-- value back to change_log_head and notifies listeners once per transaction.
CREATE FUNCTION tally_log(cmd jsonb, kind text, subject text, field text, old_value text,
                          new_value text, entity jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    current text := current_setting('tally.sequence', true);
    seq bigint;
BEGIN
    IF current IS NULL OR current = '' THEN
        SELECT sequence INTO seq FROM change_log_head WHERE id = 1 FOR UPDATE;
    ELSE
        seq := current::bigint;
    END IF;
    seq := seq + 1;
    PERFORM set_config('tally.sequence', seq::text, true);
    INSERT INTO change_log (sequence, committed_at, period, department, credential, kind, subject_id,
                            field, old_value, new_value, note, request_id, entity)
    VALUES (seq, clock_timestamp(),
            COALESCE(NULLIF(cmd->>'period', ''), tally_cst_month(clock_timestamp())),
            cmd->>'department', cmd->>'credential', kind, subject, field,
            COALESCE(old_value, ''), COALESCE(new_value, ''), COALESCE(cmd->>'note', ''),
            COALESCE(cmd->>'request_id', ''), entity);
    RETURN seq;
END $$;

CREATE FUNCTION tally_require_department_role(cmd jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cmd->>'role' IS DISTINCT FROM 'department' THEN
        PERFORM tally_fail('TL007', format(
            'only a department credential reports figures; this credential has the %s role '
            '(the central office reads everything and changes only the plan)', cmd->>'role'));
    END IF;
END $$;

CREATE FUNCTION tally_department_label(code text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT COALESCE((SELECT name || ' (' || d.code || ')' FROM departments d WHERE d.code = $1), $1)
$$;

-- Reports one target figure (absolute or increment). Raises on any problem.
CREATE FUNCTION tally_do_report_target(cmd jsonb, upd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    t targets;
    old_figure numeric;
    new_figure numeric;
    expected bigint := COALESCE((upd->>'expected_version')::bigint, 0);
    seq bigint;
BEGIN
    PERFORM tally_require_department_role(cmd);
    SELECT * INTO t FROM targets WHERE id = upd->>'target_id' FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM tally_fail('TL005', format('target "%s" does not exist', upd->>'target_id'));
    END IF;
    IF t.department IS DISTINCT FROM cmd->>'department' THEN
        PERFORM tally_fail('TL007', format('target "%s" belongs to %s; this credential reports for %s',
            t.id, tally_department_label(t.department), tally_department_label(cmd->>'department')));
    END IF;
    IF COALESCE(upd->>'unit', '') <> '' AND upd->>'unit' <> t.unit THEN
        PERFORM tally_fail('TL003', format('unit "%s" does not match target "%s", which is measured in "%s"',
            upd->>'unit', t.id, t.unit));
    END IF;
    IF expected > 0 AND expected <> t.version THEN
        PERFORM tally_fail('TL010', format('stale version: target "%s" is at version %s, the request expected %s; read it again and retry',
            t.id, t.version, expected), t.version::text);
    END IF;
    IF upd ? 'set_value' THEN
        new_figure := (upd->>'set_value')::numeric;
    ELSIF upd ? 'increment' THEN
        new_figure := t.current_figure + (upd->>'increment')::numeric;
    ELSE
        PERFORM tally_fail('TL003', 'change: give set_value or increment');
    END IF;
    IF new_figure < 0 THEN
        PERFORM tally_fail('TL003', format('figure of target "%s" must not be negative (it would become %s)',
            t.id, new_figure));
    END IF;
    IF t.unit = '项' AND new_figure NOT IN (0, 1) THEN
        PERFORM tally_fail('TL003', format('target "%s" is a task (unit 项): its figure is 1 when done and 0 when not, not %s',
            t.id, new_figure));
    END IF;
    old_figure := t.current_figure;
    UPDATE targets SET current_figure = new_figure, version = version + 1,
                       note = COALESCE(NULLIF(upd->>'note', ''), note), updated_at = clock_timestamp()
     WHERE id = t.id RETURNING * INTO t;
    seq := tally_log(cmd || jsonb_build_object('note', COALESCE(upd->>'note', cmd->>'note', '')),
                     'target', t.id, 'current_figure', old_figure::text, new_figure::text,
                     tally_target_json(t));
    RETURN jsonb_build_object('sequence', seq, 'target', tally_target_json(t));
END $$;

-- Reports a project's progress: stage, investment completed (亿元), percent. Raises on any problem.
CREATE FUNCTION tally_do_report_project(cmd jsonb, upd jsonb) RETURNS jsonb
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
    PERFORM tally_require_department_role(cmd);
    SELECT * INTO p FROM projects WHERE id = upd->>'project_id' FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM tally_fail('TL005', format('project "%s" does not exist', upd->>'project_id'));
    END IF;
    IF p.lead_department IS DISTINCT FROM cmd->>'department' AND NOT EXISTS (
        SELECT 1 FROM project_departments WHERE project = p.id AND department = cmd->>'department') THEN
        PERFORM tally_fail('TL007', format('project "%s" (%s) is led by %s and not co-reported by %s',
            p.id, p.name, tally_department_label(p.lead_department), tally_department_label(cmd->>'department')));
    END IF;
    IF expected > 0 AND expected <> p.version THEN
        PERFORM tally_fail('TL010', format('stale version: project "%s" is at version %s, the request expected %s; read it again and retry',
            p.id, p.version, expected), p.version::text);
    END IF;
    IF new_stage IS NULL AND new_investment IS NULL AND new_percent IS NULL THEN
        PERFORM tally_fail('TL003', 'nothing to report: give stage, investment_completed or percent');
    END IF;
    IF new_stage IS NOT NULL AND tally_stage_rank(new_stage) IS NULL THEN
        PERFORM tally_fail('TL003', format('stage "%s" is not one of planned, signed, land_acquired, under_construction, completed, in_production', new_stage));
    END IF;
    IF new_stage IS NOT NULL AND tally_stage_rank(new_stage) < tally_stage_rank(p.stage) THEN
        IF NOT correction THEN
            PERFORM tally_fail('TL009', format('stage of project "%s" cannot move back from %s to %s without the correction flag and a reason',
                p.id, tally_stage_label(p.stage), tally_stage_label(new_stage)));
        END IF;
        IF btrim(reason) = '' THEN
            PERFORM tally_fail('TL003', 'correction_reason: a correction that moves a stage back needs a reason');
        END IF;
        note := btrim(concat_ws('; ', NULLIF(note, ''), '更正 correction: ' || reason));
    END IF;
    IF new_investment IS NOT NULL AND new_investment < 0 THEN
        PERFORM tally_fail('TL003', format('investment_completed must not be negative (got %s)', new_investment));
    END IF;
    IF new_percent IS NOT NULL AND (new_percent < 0 OR new_percent > 100) THEN
        PERFORM tally_fail('TL003', format('percent must be between 0 and 100 (got %s)', new_percent));
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

-- Registers a new project into one of the department's batches.
CREATE FUNCTION tally_do_register_project(cmd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    b batches;
    pid text := NULLIF(cmd->>'project_id', '');
    pname text := btrim(COALESCE(cmd->>'name', ''));
    co text;
    entry jsonb;
    seq bigint;
BEGIN
    PERFORM tally_require_department_role(cmd);
    SELECT * INTO b FROM batches WHERE id = cmd->>'batch_id';
    IF NOT FOUND THEN
        PERFORM tally_fail('TL005', format('batch "%s" does not exist', cmd->>'batch_id'));
    END IF;
    IF b.department IS DISTINCT FROM cmd->>'department' THEN
        PERFORM tally_fail('TL007', format('batch "%s" belongs to %s; this credential reports for %s',
            b.id, tally_department_label(b.department), tally_department_label(cmd->>'department')));
    END IF;
    IF pname = '' THEN
        PERFORM tally_fail('TL003', 'name: a project needs a name');
    END IF;
    pid := COALESCE(pid, 'p-' || substr(md5(b.id || '/' || pname), 1, 12));
    IF EXISTS (SELECT 1 FROM projects WHERE id = pid) THEN
        PERFORM tally_fail('TL006', format('project "%s" already exists', pid));
    END IF;
    INSERT INTO projects (id, name, lead_department, line, batch, planned_investment, stage, sort_order)
    VALUES (pid, pname, b.department, b.line, b.id, NULLIF(cmd->>'planned_investment', '')::numeric,
            COALESCE(NULLIF(cmd->>'stage', ''), 'planned'),
            (SELECT COALESCE(max(sort_order), 0) + 1 FROM projects));
    FOR co IN SELECT jsonb_array_elements_text(COALESCE(cmd->'co_departments', '[]'::jsonb)) LOOP
        IF NOT EXISTS (SELECT 1 FROM departments WHERE code = co) THEN
            PERFORM tally_fail('TL005', format('co-reporting department "%s" does not exist', co));
        END IF;
        IF co <> b.department THEN
            INSERT INTO project_departments VALUES (pid, co) ON CONFLICT DO NOTHING;
        END IF;
    END LOOP;
    entry := tally_project_json(pid);
    seq := tally_log(cmd, 'register', pid, 'project', '', pname, entry);
    RETURN jsonb_build_object('sequence', seq, 'project', entry);
END $$;

-- A period report: many updates applied all or none (the caller's subtransaction undoes them all).
CREATE FUNCTION tally_do_period_report(cmd jsonb) RETURNS jsonb
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
    PERFORM tally_require_department_role(cmd);
    IF jsonb_array_length(COALESCE(cmd->'updates', '[]'::jsonb)) = 0 THEN
        PERFORM tally_fail('TL003', 'updates: a period report needs at least one update');
    END IF;
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

-- An upsert that names the version it last saw (non-zero) is refused when the stored one differs.
CREATE FUNCTION tally_check_plan_version(kind text, id text, stored bigint, expected bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF expected > 0 AND stored IS DISTINCT FROM expected THEN
        PERFORM tally_fail('TL010', format('stale version: %s "%s" is at version %s, the request expected %s; read it again and retry',
            kind, id, COALESCE(stored::text, 'none (it does not exist)'), expected), COALESCE(stored, 0)::text);
    END IF;
END $$;

-- Changes the plan (central office or admin): departments, lines, targets, batches, projects.
CREATE FUNCTION tally_do_upsert(cmd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    e jsonb := cmd->'entity';
    kind text := cmd->>'entity_type';
    entry jsonb;
    subject text;
    seq bigint;
    co text;
BEGIN
    IF cmd->>'role' NOT IN ('central', 'admin') THEN
        PERFORM tally_fail('TL007', format('only the central office or an admin changes the plan; this credential has the %s role',
            cmd->>'role'));
    END IF;
    CASE kind
    WHEN 'department' THEN
        INSERT INTO departments (code, name, kind, sort_order)
        VALUES (e->>'code', e->>'name', e->>'kind', COALESCE((e->>'sort_order')::int, 0))
        ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind;
        subject := e->>'code';
        SELECT to_jsonb(d) INTO entry FROM departments d WHERE code = subject;
    WHEN 'line' THEN
        INSERT INTO lines (code, department, name, goal, sort_order)
        VALUES (e->>'code', e->>'department', e->>'name', COALESCE(e->>'goal', ''),
                COALESCE((e->>'sort_order')::int, 0))
        ON CONFLICT (code) DO UPDATE SET department = EXCLUDED.department, name = EXCLUDED.name,
                                         goal = EXCLUDED.goal;
        subject := e->>'code';
        SELECT to_jsonb(l) INTO entry FROM lines l WHERE code = subject;
    WHEN 'target' THEN
        PERFORM tally_check_plan_version('target', e->>'id', (SELECT version FROM targets WHERE id = e->>'id' FOR UPDATE),
                                         COALESCE((e->>'version')::bigint, 0));
        INSERT INTO targets (id, department, line, name, unit, direction, target_figure, period,
                             qualifier, sort_order)
        VALUES (e->>'id', e->>'department', e->>'line', e->>'name', e->>'unit',
                COALESCE(NULLIF(e->>'direction', ''), 'at_least'), (e->>'target_figure')::numeric,
                COALESCE(NULLIF(e->>'period', ''), (SELECT min(p.code) FROM periods p WHERE p.kind = 'year')),
                COALESCE(e->>'qualifier', ''), COALESCE((e->>'sort_order')::int, 0))
        ON CONFLICT (id) DO UPDATE SET department = EXCLUDED.department, line = EXCLUDED.line,
            name = EXCLUDED.name, unit = EXCLUDED.unit, direction = EXCLUDED.direction,
            target_figure = EXCLUDED.target_figure, period = EXCLUDED.period,
            qualifier = EXCLUDED.qualifier, version = targets.version + 1, updated_at = clock_timestamp();
        subject := e->>'id';
        SELECT tally_target_json(t) INTO entry FROM targets t WHERE id = subject;
    WHEN 'batch' THEN
        INSERT INTO batches (id, department, line, name, planned_count, planned_investment,
                             investment_qualifier, milestone, sort_order)
        VALUES (e->>'id', e->>'department', e->>'line', e->>'name', (e->>'planned_count')::int,
                NULLIF(e->>'planned_investment', '')::numeric, COALESCE(e->>'investment_qualifier', ''),
                COALESCE(NULLIF(e->>'milestone', ''), 'under_construction'),
                COALESCE((e->>'sort_order')::int, 0))
        ON CONFLICT (id) DO UPDATE SET department = EXCLUDED.department, line = EXCLUDED.line,
            name = EXCLUDED.name, planned_count = EXCLUDED.planned_count,
            planned_investment = EXCLUDED.planned_investment,
            investment_qualifier = EXCLUDED.investment_qualifier, milestone = EXCLUDED.milestone;
        subject := e->>'id';
        SELECT tally_batch_json(b) INTO entry FROM batches b WHERE id = subject;
    WHEN 'project' THEN
        PERFORM tally_check_plan_version('project', e->>'id', (SELECT version FROM projects WHERE id = e->>'id' FOR UPDATE),
                                         COALESCE((e->>'version')::bigint, 0));
        IF tally_stage_rank(COALESCE(NULLIF(e->>'stage', ''), 'planned')) IS NULL THEN
            PERFORM tally_fail('TL003', format('stage "%s" is not a stage', e->>'stage'));
        END IF;
        INSERT INTO projects (id, name, lead_department, line, batch, planned_investment, stage, sort_order)
        VALUES (e->>'id', e->>'name', e->>'lead_department', e->>'line', NULLIF(e->>'batch', ''),
                NULLIF(e->>'planned_investment', '')::numeric, COALESCE(NULLIF(e->>'stage', ''), 'planned'),
                COALESCE((e->>'sort_order')::int, 0))
        ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, lead_department = EXCLUDED.lead_department,
            line = EXCLUDED.line, batch = EXCLUDED.batch, planned_investment = EXCLUDED.planned_investment,
            version = projects.version + 1, updated_at = clock_timestamp();
        subject := e->>'id';
        DELETE FROM project_departments WHERE project = subject;
        FOR co IN SELECT jsonb_array_elements_text(COALESCE(e->'co_departments', '[]'::jsonb)) LOOP
            IF co <> e->>'lead_department' THEN
                INSERT INTO project_departments VALUES (subject, co) ON CONFLICT DO NOTHING;
            END IF;
        END LOOP;
        entry := tally_project_json(subject);
    ELSE
        PERFORM tally_fail('TL003', format('entity_type "%s" is not department, line, target, batch or project', kind));
    END CASE;
    seq := tally_log(cmd, 'plan', subject, kind, '', COALESCE(e->>'name', ''), entry);
    RETURN jsonb_build_object('sequence', seq, kind, entry);
END $$;

-- Maps an error raised inside a command to a gRPC status code.
CREATE FUNCTION tally_status_of(sqlstate text) RETURNS int LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN sqlstate ~ '^TL0[0-9][0-9]$' THEN substr(sqlstate, 3)::int
        WHEN sqlstate IN ('22P02', '22003', '23514', '23502', '22023', '22007', '22008') THEN 3
        WHEN sqlstate = '23503' THEN 5
        WHEN sqlstate = '23505' THEN 6
        WHEN sqlstate IN ('40001', '40P01') THEN 10
        WHEN sqlstate IN ('25006', '53100', '53200', '53300', '57P01', '57P02', '57P03') THEN 14
        ELSE 13
    END
$$;

-- Runs one command. A request id seen before returns the stored first outcome (with
-- "replayed": true) and changes nothing; a successful outcome is stored under its request id in the
-- same subtransaction, so a failed command stores nothing and may be retried. Two servers racing with
-- the same id: the second INSERT waits for the first and then fails with a unique violation, which
-- tally_apply_batch turns into the stored outcome.
CREATE FUNCTION tally_apply_one(cmd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    rid text := NULLIF(cmd->>'request_id', '');
    stored jsonb;
    outcome jsonb;
BEGIN
    IF EXISTS (SELECT 1 FROM credentials WHERE id = cmd->>'credential' AND revoked_at IS NOT NULL) THEN
        PERFORM tally_fail('TL016', format('credential %s has been revoked', cmd->>'credential'));
    END IF;
    IF rid IS NOT NULL THEN
        SELECT r.result INTO stored FROM requests r
         WHERE r.credential = cmd->>'credential' AND r.request_id = rid;
        IF FOUND THEN
            RETURN stored || jsonb_build_object('replayed', true);
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
        PERFORM tally_fail('TL003', format('unknown operation "%s"', cmd->>'op'));
    END IF;
    outcome := outcome || jsonb_build_object('status', 0, 'replayed', false);
    IF rid IS NOT NULL THEN
        INSERT INTO requests (credential, request_id, result) VALUES (cmd->>'credential', rid, outcome);
    END IF;
    RETURN outcome;
END $$;

-- Group commit: applies many commands in one transaction, each in its own subtransaction.
CREATE FUNCTION tally_apply_batch(cmds jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    cmd jsonb;
    results jsonb[] := '{}';
    r jsonb;
    st text;
    msg text;
    hint text;
    constraint_name text;
    last_sequence text;
BEGIN
    FOR cmd IN SELECT jsonb_array_elements(cmds) LOOP
        BEGIN
            r := tally_apply_one(cmd);
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT,
                                    constraint_name = CONSTRAINT_NAME;
            r := NULL;
            IF st = '23505' AND constraint_name = 'requests_pkey' THEN
                -- The same request id committed meanwhile through another server: answer with its outcome.
                SELECT q.result || jsonb_build_object('replayed', true) INTO r FROM requests q
                 WHERE q.credential = cmd->>'credential' AND q.request_id = cmd->>'request_id';
            END IF;
            IF r IS NULL THEN
                IF st = '25006' THEN
                    msg := 'the database is read-only: writes are refused until it is writable again; reads keep working';
                ELSIF st = '53100' THEN
                    msg := 'the database is out of disk space: writes are refused until space is freed; reads keep working';
                ELSIF st = '22P02' OR st = '22003' THEN
                    msg := 'invalid number: ' || msg;
                END IF;
                r := jsonb_build_object('status', tally_status_of(st), 'message', msg, 'sqlstate', st);
                IF st = 'TL010' AND hint <> '' THEN
                    r := r || jsonb_build_object('metadata', jsonb_build_object('current_version', hint));
                END IF;
            END IF;
        END;
        results := results || r;
    END LOOP;
    last_sequence := current_setting('tally.sequence', true);
    IF last_sequence IS NOT NULL AND last_sequence <> '' THEN
        UPDATE change_log_head SET sequence = last_sequence::bigint WHERE id = 1;
        PERFORM pg_notify('tally_changes', last_sequence);
    END IF;
    RETURN to_jsonb(results);
END $$;
