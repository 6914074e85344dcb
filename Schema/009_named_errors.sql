-- Tally schema 009: the plan's SQL keeps only the checks that need a row; every error it raises is
-- one of Tally's own named codes (Schema/003: TLARG, TLNOT, TLDUP, TLDNY, TLORD, TLVER, TLREV),
-- which the server's one map (StatusMapping.writeStatus) turns into call statuses.
--
-- What moved out of SQL, and who owns it now:
--   * roles: the router's access rule of each method (`.plan` for upserts, `.planFiles` for plan
--     files) refuses a department credential before any command is built;
--   * the shape of an upsert (an entity type that exists, a stage that is a stage): the entity is a
--     typed Swift value (PlanEntity, Stage), so a wrong one cannot be sent;
--   * numbered codes (TL003, TL007, TL010 ...): no function passes one any more, so tally_fail no
--     longer translates; it raises the code it is given.
-- tally_require_department_role (v2's role check, unused since Schema/003) is dropped.

CREATE OR REPLACE FUNCTION tally_fail(code text, message text, hint text DEFAULT '') RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = code, MESSAGE = message, HINT = hint;
END $$;

DROP FUNCTION tally_require_department_role(jsonb);

-- An upsert that names the version it last saw (non-zero) is refused when the stored one differs.
CREATE OR REPLACE FUNCTION tally_check_plan_version(kind text, id text, stored bigint, expected bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF expected > 0 AND stored IS DISTINCT FROM expected THEN
        PERFORM tally_fail('TLVER', format('stale version: %s "%s" is at version %s, the request expected %s; read it again and retry',
            kind, id, COALESCE(stored::text, 'none (it does not exist)'), expected), COALESCE(stored, 0)::text);
    END IF;
END $$;

-- Changes the plan: departments, lines, targets, batches, projects. The caller's role and the
-- entity's shape are the server's to check; here only the stored versions.
CREATE OR REPLACE FUNCTION tally_do_upsert(cmd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    e jsonb := cmd->'entity';
    kind text := cmd->>'entity_type';
    entry jsonb;
    subject text;
    seq bigint;
    co text;
BEGIN
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
    END CASE;  -- no ELSE: another entity type is a server bug (CASE_NOT_FOUND, an internal error)
    seq := tally_log(cmd, 'plan', subject, kind, '', COALESCE(e->>'name', ''), entry);
    RETURN jsonb_build_object('sequence', seq, kind, entry);
END $$;

-- Applies a plan's changes all or none (Schema/006); only an admin reaches it (Admin/ApplyPlan's
-- access rule), so the role is no longer checked here.
CREATE OR REPLACE FUNCTION tally_apply_plan(cmd jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    change jsonb;
    one jsonb;
    seq bigint;
    first_seq bigint;
    last_seq bigint;
BEGIN
    PERFORM set_config('tally.campaign', cmd->>'campaign', true);
    PERFORM set_config('tally.sequence', '', true);
    FOR change IN SELECT jsonb_array_elements(cmd->'changes') LOOP
        one := (cmd - 'changes') || change;
        seq := CASE change->>'entity_type'
            WHEN 'campaign' THEN tally_upsert_campaign(one)
            WHEN 'period' THEN tally_upsert_period(one)
            WHEN 'target' THEN tally_upsert_plan_target(one)
            ELSE (tally_do_upsert(one)->>'sequence')::bigint
        END;
        IF change->>'entity_type' IN ('batch', 'project') THEN
            EXECUTE format('UPDATE %I SET campaign = $1 WHERE id = $2 AND campaign IS DISTINCT FROM $1',
                           CASE change->>'entity_type' WHEN 'batch' THEN 'batches' ELSE 'projects' END)
                USING cmd->>'campaign', change->'entity'->>'id';
        END IF;
        first_seq := COALESCE(first_seq, seq);
        last_seq := seq;
    END LOOP;
    IF last_seq IS NOT NULL THEN
        UPDATE change_log_head SET sequence = last_seq WHERE id = 1;
        PERFORM pg_notify('tally_changes', last_seq::text);
    END IF;
    RETURN jsonb_build_object('first_sequence', COALESCE(first_seq, 0), 'last_sequence', COALESCE(last_seq, 0));
END $$;

-- The writer's answer to a batch (what `tally_apply_batch` returned, one outcome per command),
-- lighter on the way back: a fresh outcome that carries a target drops it and says so
-- ("target_logged": true). The writer reads the batch's change-log rows back in the same round
-- trip anyway (their entity is the same target) and parses each target once for both the answer
-- and its server's totals. Stored outcomes (replays) are untouched and keep their target.
CREATE FUNCTION tally_writer_answer(outcomes jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN (SELECT COALESCE(jsonb_agg(CASE WHEN r ? 'target' AND r->>'replayed' = 'false' AND r ? 'sequence'
                                           THEN (r - 'target') || '{"target_logged": true}'
                                           ELSE r END ORDER BY i), '[]'::jsonb)
              FROM jsonb_array_elements(outcomes) WITH ORDINALITY AS e(r, i));
END $$;
