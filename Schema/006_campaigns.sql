-- Tally schema v6: campaigns as data. A campaign is a year period ('2023', '2024') with a name and the
-- notes of its plan document; targets belong to it through their period (a target for '2024' or
-- '2024-03' is 2024's), batches and projects through their own `campaign` column. Departments and
-- their lines are the organisation, shared by every campaign.

CREATE TABLE campaigns (
    code    text PRIMARY KEY REFERENCES periods(code),  -- the campaign's year period: '2023'
    name    text NOT NULL,                              -- '创新突破年'
    notes   jsonb NOT NULL DEFAULT '[]',                -- the plan document's notes, in order
    format  int  NOT NULL DEFAULT 1                     -- the plan document's format version
);

-- A database seeded before campaigns existed holds one campaign: its year period.
INSERT INTO campaigns (code, name)
SELECT code, '创新突破年' FROM periods WHERE kind = 'year' ORDER BY code LIMIT 1;

ALTER TABLE batches ADD COLUMN campaign text REFERENCES campaigns(code);
ALTER TABLE projects ADD COLUMN campaign text REFERENCES campaigns(code);
UPDATE batches SET campaign = (SELECT min(code) FROM campaigns);
UPDATE projects p SET campaign = COALESCE((SELECT b.campaign FROM batches b WHERE b.id = p.batch),
                                          (SELECT min(code) FROM campaigns));

-- The campaign a new batch or project joins when the insert names none: a project its batch's; else
-- the one a plan being applied names (transaction setting tally.campaign); else the campaign
-- running now, or the latest one.
CREATE FUNCTION tally_current_campaign() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT COALESCE(NULLIF(current_setting('tally.campaign', true), ''),
        (SELECT c.code FROM campaigns c JOIN periods p ON p.code = c.code
          ORDER BY (now() >= p.starts_at AND now() < p.ends_at) DESC, p.starts_at DESC LIMIT 1))
$$;
CREATE FUNCTION tally_default_batch_campaign() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.campaign := COALESCE(NEW.campaign, tally_current_campaign());
    RETURN NEW;
END $$;
CREATE FUNCTION tally_default_project_campaign() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.campaign := COALESCE(NEW.campaign, (SELECT b.campaign FROM batches b WHERE b.id = NEW.batch),
                             tally_current_campaign());
    RETURN NEW;
END $$;
CREATE TRIGGER batches_default_campaign BEFORE INSERT ON batches
    FOR EACH ROW EXECUTE FUNCTION tally_default_batch_campaign();
CREATE TRIGGER projects_default_campaign BEFORE INSERT ON projects
    FOR EACH ROW EXECUTE FUNCTION tally_default_project_campaign();

-- The change log's and results' JSON of batches and projects now names the campaign.
CREATE OR REPLACE FUNCTION tally_project_json(project_id text) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', p.id, 'name', p.name, 'lead_department', p.lead_department,
        'co_departments', COALESCE((SELECT jsonb_agg(d.department ORDER BY d.department)
                                    FROM project_departments d WHERE d.project = p.id), '[]'::jsonb),
        'line', p.line, 'batch', p.batch, 'planned_investment', p.planned_investment::text,
        'investment_completed', p.investment_completed::text, 'percent', p.percent::text,
        'stage', p.stage, 'version', p.version, 'sort_order', p.sort_order, 'campaign', p.campaign)
    FROM projects p WHERE p.id = project_id
$$;

CREATE OR REPLACE FUNCTION tally_batch_json(b batches) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', b.id, 'department', b.department, 'line', b.line, 'name', b.name,
        'planned_count', b.planned_count, 'planned_investment', b.planned_investment::text,
        'investment_qualifier', b.investment_qualifier, 'milestone', b.milestone, 'sort_order', b.sort_order,
        'campaign', b.campaign)
$$;

-- A period (the campaign year or one of its months) added or changed by a plan being applied,
-- logged like every plan change. Periods in use keep their bounds only if unchanged: the caller
-- (the plan's diff) changes nothing it does not name.
CREATE FUNCTION tally_upsert_period(cmd jsonb) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    e jsonb := cmd->'entity';
BEGIN
    INSERT INTO periods (code, kind, starts_at, ends_at, due_at)
    VALUES (e->>'code', e->>'kind', (e->>'starts_at')::timestamptz, (e->>'ends_at')::timestamptz,
            (e->>'due_at')::timestamptz)
    ON CONFLICT (code) DO UPDATE SET kind = EXCLUDED.kind, starts_at = EXCLUDED.starts_at,
        ends_at = EXCLUDED.ends_at, due_at = EXCLUDED.due_at;
    RETURN tally_log(cmd, 'plan', e->>'code', 'period', '', e->>'code', e);
END $$;

-- A campaign's name and notes set by a plan being applied, logged.
CREATE FUNCTION tally_upsert_campaign(cmd jsonb) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    e jsonb := cmd->'entity';
    old_name text;
BEGIN
    SELECT name INTO old_name FROM campaigns WHERE code = e->>'code';
    INSERT INTO campaigns (code, name, notes, format)
    VALUES (e->>'code', e->>'name', COALESCE(e->'notes', '[]'::jsonb), COALESCE((e->>'format')::int, 1))
    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, notes = EXCLUDED.notes, format = EXCLUDED.format;
    RETURN tally_log(cmd, 'plan', e->>'code', 'campaign', COALESCE(old_name, ''), e->>'name', e);
END $$;

-- A target added or changed by a plan being applied (tally_do_upsert's, plus the note), logged.
CREATE FUNCTION tally_upsert_plan_target(cmd jsonb) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    e jsonb := cmd->'entity';
    subject text := e->>'id';
    entry jsonb;
BEGIN
    PERFORM tally_check_plan_version('target', subject, (SELECT version FROM targets WHERE id = subject FOR UPDATE),
                                     COALESCE((e->>'version')::bigint, 0));
    INSERT INTO targets (id, department, line, name, unit, direction, target_figure, period, qualifier, note, sort_order)
    VALUES (subject, e->>'department', e->>'line', e->>'name', e->>'unit', e->>'direction',
            (e->>'target_figure')::numeric, e->>'period', COALESCE(e->>'qualifier', ''), COALESCE(e->>'note', ''),
            COALESCE((e->>'sort_order')::int, 0))
    ON CONFLICT (id) DO UPDATE SET department = EXCLUDED.department, line = EXCLUDED.line,
        name = EXCLUDED.name, unit = EXCLUDED.unit, direction = EXCLUDED.direction,
        target_figure = EXCLUDED.target_figure, period = EXCLUDED.period, qualifier = EXCLUDED.qualifier,
        note = EXCLUDED.note, sort_order = EXCLUDED.sort_order,
        version = targets.version + 1, updated_at = clock_timestamp();
    SELECT tally_target_json(t) INTO entry FROM targets t WHERE id = subject;
    RETURN tally_log(cmd, 'plan', subject, 'target', '', e->>'name', entry);
END $$;

-- Applies a plan's changes all or none, in the caller's transaction (`tally plan apply`, Admin/ApplyPlan):
-- cmd = {role, credential, note, campaign: '2024', changes: [{entity_type, entity}, ...]} in
-- foreign-key order. Targets and projects carry the version the file was written at (checked: a
-- figure changed since fails with TL010). Each change is logged; the log head moves and listeners
-- are notified once. Returns {first_sequence, last_sequence} (0 and 0 when there is nothing to do).
CREATE FUNCTION tally_apply_plan(cmd jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    change jsonb;
    one jsonb;
    seq bigint;
    first_seq bigint;
    last_seq bigint;
BEGIN
    IF cmd->>'role' IS DISTINCT FROM 'admin' THEN
        PERFORM tally_fail('TL007', 'only an admin applies a plan');
    END IF;
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
