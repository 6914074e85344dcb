-- Tally schema 010: campaigns named explicitly, co-reporting departments' own investment shares, and
-- each plan change's previous state in the log (so a view as of a past date undoes later plan edits).
--
-- Like 005, it changes the writer's functions only by wrapping them (the previous function renamed,
-- a new one of the same name calling it), so it keeps whatever an earlier migration made of them.

-- ---------------------------------------------------------------------------------------------
-- 1. The previous state of a plan record, in the log.
--
-- `previous` is the subject's entity just before a plan change (the form `entity` has): JSON null
-- when the change created it, SQL NULL on changes logged before this migration and on reports (a
-- report's old values are in old_value). The plan functions put it in the transaction-local
-- setting tally.previous right before they log; the trigger moves it to the row and clears it.
ALTER TABLE change_log ADD COLUMN previous jsonb;

CREATE FUNCTION tally_change_log_previous() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    held text := current_setting('tally.previous', true);
BEGIN
    IF held IS NOT NULL AND held <> '' THEN
        NEW.previous := held::jsonb;
        PERFORM set_config('tally.previous', '', true);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER change_log_previous BEFORE INSERT ON change_log
    FOR EACH ROW WHEN (NEW.kind = 'plan') EXECUTE FUNCTION tally_change_log_previous();

-- Holds a plan record's current entity (JSON null when there is none) for the next plan log row.
CREATE FUNCTION tally_remember_previous(entity_type text, subject text) RETURNS void LANGUAGE sql AS $$
    SELECT set_config('tally.previous', COALESCE(CASE entity_type
        WHEN 'department' THEN (SELECT to_jsonb(d) FROM departments d WHERE d.code = subject)
        WHEN 'line' THEN (SELECT to_jsonb(l) FROM lines l WHERE l.code = subject)
        WHEN 'target' THEN (SELECT tally_target_json(t) FROM targets t WHERE t.id = subject)
        WHEN 'batch' THEN (SELECT tally_batch_json(b) FROM batches b WHERE b.id = subject)
        WHEN 'project' THEN tally_project_json(subject)
        WHEN 'period' THEN (SELECT to_jsonb(p) FROM periods p WHERE p.code = subject)
        WHEN 'campaign' THEN (SELECT to_jsonb(c) FROM campaigns c WHERE c.code = subject)
    END, 'null'::jsonb)::text, true);
$$;

-- ---------------------------------------------------------------------------------------------
-- 2. Co-reporting departments' own shares of a project's investment.
--
-- A row says the plan gives the department (one of the project's co-reporting departments) its own
-- share to report; `investment_completed` is what it reported. The share is part of the project's
-- investment_completed, which the lead owns: shown beside it, never added to a total. The project
-- key is checked at commit, so a plan upsert can name a new project's shares before inserting it.
CREATE TABLE project_shares (
    project               text NOT NULL REFERENCES projects(id) DEFERRABLE INITIALLY DEFERRED,
    department            text NOT NULL REFERENCES departments(code),
    investment_completed  numeric NOT NULL DEFAULT 0 CHECK (investment_completed >= 0),
    PRIMARY KEY (project, department)
);

-- The 2023 plan (Schema/plan-2023.json): Yinzhu co-reports 圣元液体蛋白 with its own share.
INSERT INTO project_shares (project, department)
SELECT project, department FROM project_departments
 WHERE project = 'p-shengyuan-liquid-protein' AND department = 'yinzhu';

-- A project's JSON now lists its shares (the previous function, renamed, gives the rest).
ALTER FUNCTION tally_project_json(text) RENAME TO tally_project_json_unshared;
CREATE FUNCTION tally_project_json(project_id text) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT tally_project_json_unshared(project_id) || jsonb_build_object('shares', COALESCE(
        (SELECT jsonb_agg(jsonb_build_object('department', s.department, 'investment_completed', s.investment_completed::text)
                          ORDER BY s.department)
           FROM project_shares s WHERE s.project = project_id), '[]'::jsonb))
$$;

-- A report on a project: a co-reporting department's own share (`share_investment`) is written
-- here, the rest by the function it wraps. Only a department the plan gives a share sends one.
ALTER FUNCTION tally_do_report_project(jsonb, jsonb) RENAME TO tally_do_report_project_whole;

CREATE FUNCTION tally_do_report_project(cmd jsonb, upd jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    share numeric := NULLIF(upd->>'share_investment', '')::numeric;
    rest jsonb := upd - 'share_investment';
    expected bigint := COALESCE((upd->>'expected_version')::bigint, 0);
    p projects;
    old_share numeric;
    whole jsonb;
    seq bigint;
BEGIN
    IF share IS NULL THEN
        RETURN tally_do_report_project_whole(cmd, rest);
    END IF;
    SELECT * INTO p FROM projects WHERE id = upd->>'project_id' FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM tally_fail('TLNOT', format('project "%s" does not exist', upd->>'project_id'));
    END IF;
    SELECT s.investment_completed INTO old_share FROM project_shares s
     WHERE s.project = p.id AND s.department = cmd->>'department' FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM tally_fail('TLDNY', format('project "%s" (%s): the plan gives %s no share of its investment; its investment belongs to the lead department %s',
            p.id, p.name, tally_department_label(cmd->>'department'), tally_department_label(p.lead_department)));
    END IF;
    IF expected > 0 AND expected <> p.version THEN
        PERFORM tally_fail('TLVER', format('stale version: project "%s" is at version %s, the request expected %s; read it again and retry',
            p.id, p.version, expected), p.version::text);
    END IF;
    IF COALESCE(rest->>'stage', '') <> '' OR COALESCE(rest->>'investment_completed', '') <> ''
       OR COALESCE(rest->>'percent', '') <> '' THEN
        whole := tally_do_report_project_whole(cmd, rest - 'expected_version');
    ELSE
        UPDATE projects SET version = version + 1, updated_at = clock_timestamp() WHERE id = p.id;
    END IF;
    UPDATE project_shares SET investment_completed = share WHERE project = p.id AND department = cmd->>'department';
    seq := tally_log(cmd || jsonb_build_object('note', COALESCE(NULLIF(upd->>'note', ''), cmd->>'note', '')),
                     'project', p.id, 'share_investment', old_share::text, share::text, tally_project_json(p.id));
    RETURN jsonb_build_object('sequence', seq,
                              'first_sequence', COALESCE((whole->>'first_sequence')::bigint, (whole->>'sequence')::bigint, seq),
                              'project', tally_project_json(p.id));
END $$;

-- ---------------------------------------------------------------------------------------------
-- 3. Plan upserts: the previous state logged, the campaign explicit, a project's shares kept.
--
-- A batch or project names its campaign (`campaign` in the entity): required for a new batch and a
-- new project outside any batch; a project in a batch is in its batch's campaign; an existing
-- record that names none keeps its own. A plan being applied (tally_apply_plan) names it for all
-- its records through the setting tally.campaign. A project's `shares` (departments, each one of its
-- co-reporting departments) replace its shares; a kept share keeps its reported figure.
ALTER FUNCTION tally_do_upsert(jsonb) RENAME TO tally_do_upsert_unrecorded;

CREATE FUNCTION tally_do_upsert(cmd jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    kind text := cmd->>'entity_type';
    e jsonb := cmd->'entity';
    subject text := COALESCE(e->>'id', e->>'code');
    saved text := COALESCE(current_setting('tally.campaign', true), '');
    named text := COALESCE(NULLIF(e->>'campaign', ''), NULLIF(saved, ''));
    existing text;
    of_batch text;
    listed text[];
    result jsonb;
BEGIN
    IF cmd->>'role' NOT IN ('central', 'admin') THEN -- before any lookup, as the wrapped function does
        RETURN tally_do_upsert_unrecorded(cmd);
    END IF;
    PERFORM tally_remember_previous(kind, subject);
    IF kind NOT IN ('batch', 'project') THEN
        RETURN tally_do_upsert_unrecorded(cmd);
    END IF;
    IF kind = 'batch' THEN
        SELECT campaign INTO existing FROM batches WHERE id = subject;
    ELSE
        SELECT campaign INTO existing FROM projects WHERE id = subject;
        SELECT campaign INTO of_batch FROM batches WHERE id = NULLIF(e->>'batch', '');
        IF of_batch IS NOT NULL AND named IS NOT NULL AND named <> of_batch THEN
            PERFORM tally_fail('TLARG', format('campaign: project "%s" is in batch "%s" of campaign %s, not %s',
                subject, e->>'batch', of_batch, named));
        END IF;
        named := COALESCE(named, of_batch);
    END IF;
    named := COALESCE(named, existing);
    IF named IS NULL THEN
        PERFORM tally_fail('TLARG', format('campaign: a new %s names its campaign (one of %s)', kind,
            (SELECT string_agg(code, ', ' ORDER BY code) FROM campaigns)));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM campaigns WHERE code = named) THEN
        PERFORM tally_fail('TLARG', format('campaign: there is no campaign %s (campaigns: %s)', named,
            (SELECT string_agg(code, ', ' ORDER BY code) FROM campaigns)));
    END IF;
    IF existing IS DISTINCT FROM named AND existing IS NOT NULL THEN
        EXECUTE format('UPDATE %I SET campaign = $1 WHERE id = $2', CASE kind WHEN 'batch' THEN 'batches' ELSE 'projects' END)
            USING named, subject;
    END IF;
    IF kind = 'project' THEN
        listed := ARRAY(SELECT s->>'department' FROM jsonb_array_elements(COALESCE(e->'shares', '[]'::jsonb)) s);
        IF EXISTS (SELECT 1 FROM unnest(listed) d
                    WHERE d IS NULL OR d = e->>'lead_department'
                       OR NOT COALESCE(e->'co_departments', '[]'::jsonb) ? d) THEN
            PERFORM tally_fail('TLARG', format('shares: project "%s": a share belongs to one of its co-reporting departments (%s), not to %s',
                subject, COALESCE((SELECT string_agg(c, ', ') FROM jsonb_array_elements_text(COALESCE(e->'co_departments', '[]'::jsonb)) c), 'none'),
                (SELECT string_agg(COALESCE(d, 'an unnamed department'), ', ') FROM unnest(listed) d
                  WHERE d IS NULL OR d = e->>'lead_department' OR NOT COALESCE(e->'co_departments', '[]'::jsonb) ? d)));
        END IF;
        DELETE FROM project_shares WHERE project = subject AND department <> ALL (listed);
        INSERT INTO project_shares (project, department) SELECT subject, d FROM unnest(listed) d ON CONFLICT DO NOTHING;
    END IF;
    PERFORM set_config('tally.campaign', named, true);
    result := tally_do_upsert_unrecorded(cmd);
    PERFORM set_config('tally.campaign', saved, true);
    RETURN result;
END $$;

-- A plan being applied (Schema/006) records each change's previous state: its campaign, period and
-- target upserts are wrapped too (batches, projects, departments and lines go through tally_do_upsert).
ALTER FUNCTION tally_upsert_campaign(jsonb) RENAME TO tally_upsert_campaign_unrecorded;
CREATE FUNCTION tally_upsert_campaign(cmd jsonb) RETURNS bigint LANGUAGE sql AS $$
    SELECT tally_remember_previous('campaign', cmd->'entity'->>'code');
    SELECT tally_upsert_campaign_unrecorded(cmd) $$;
ALTER FUNCTION tally_upsert_period(jsonb) RENAME TO tally_upsert_period_unrecorded;
CREATE FUNCTION tally_upsert_period(cmd jsonb) RETURNS bigint LANGUAGE sql AS $$
    SELECT tally_remember_previous('period', cmd->'entity'->>'code');
    SELECT tally_upsert_period_unrecorded(cmd) $$;
ALTER FUNCTION tally_upsert_plan_target(jsonb) RENAME TO tally_upsert_plan_target_unrecorded;
CREATE FUNCTION tally_upsert_plan_target(cmd jsonb) RETURNS bigint LANGUAGE sql AS $$
    SELECT tally_remember_previous('target', cmd->'entity'->>'id');
    SELECT tally_upsert_plan_target_unrecorded(cmd) $$;
