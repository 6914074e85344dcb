-- Tally schema v8: a campaign's early-warning thresholds (预警), from its plan file's `warnings`
-- object (Schema/PLAN-FORMAT.md): report_grace_days, red_periods, milestone_days, stalled_months.
-- NULL: the plan sets none and the server's settings (tally serve --warn-*) apply.

ALTER TABLE campaigns ADD COLUMN warnings jsonb;

-- A campaign's name, notes and warning thresholds set by a plan being applied, logged.
CREATE OR REPLACE FUNCTION tally_upsert_campaign(cmd jsonb) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    e jsonb := cmd->'entity';
    old_name text;
BEGIN
    SELECT name INTO old_name FROM campaigns WHERE code = e->>'code';
    INSERT INTO campaigns (code, name, notes, format, warnings)
    VALUES (e->>'code', e->>'name', COALESCE(e->'notes', '[]'::jsonb), COALESCE((e->>'format')::int, 1),
            NULLIF(e->'warnings', 'null'::jsonb))
    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, notes = EXCLUDED.notes, format = EXCLUDED.format,
        warnings = EXCLUDED.warnings;
    RETURN tally_log(cmd, 'plan', e->>'code', 'campaign', COALESCE(old_name, ''), e->>'name', e);
END $$;
