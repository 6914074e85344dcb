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
