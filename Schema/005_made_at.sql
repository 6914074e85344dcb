-- Tally schema 005: when a report was made, apart from when it arrived (the offline outbox, issue 18).
--
-- A client that could not reach the server queues a write and delivers it later with the instant it
-- was made (`made_at_unix_ms`, Protocol/SPEC.md section 11 "Reports made earlier"). The server
-- checks the window and counts the report for the CST period it was made in (the command's
-- "period"); this migration only records the instant next to committed_at.
--
-- How it reaches the row without touching the writer's functions: tally_apply_batch is wrapped.
-- The wrapper puts every command's made_at in a transaction-local map keyed by
-- "<credential> <request_id>" and calls the previous tally_apply_batch, renamed; a trigger on
-- change_log fills made_at from that map. A batch without made_at costs one scan of its commands.
-- A later migration that replaces tally_apply_batch must keep this wrapper (or set the map itself).

-- NULL: made as it arrived (committed_at is then also when it was made).
ALTER TABLE change_log ADD COLUMN made_at timestamptz;

CREATE FUNCTION tally_change_log_made_at() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    made text := current_setting('tally.made_at', true);
BEGIN
    IF NEW.made_at IS NULL AND made IS NOT NULL AND made <> '' THEN
        NEW.made_at := (made::jsonb ->> (COALESCE(NEW.credential, '') || ' ' || NEW.request_id))::timestamptz;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER change_log_made_at BEFORE INSERT ON change_log
    FOR EACH ROW EXECUTE FUNCTION tally_change_log_made_at();

ALTER FUNCTION tally_apply_batch(jsonb) RENAME TO tally_apply_batch_unstamped;

-- Group commit (Schema/002), with each command's made_at handed to the change_log trigger.
CREATE FUNCTION tally_apply_batch(cmds jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('tally.made_at', COALESCE(
        (SELECT jsonb_object_agg(COALESCE(c->>'credential', '') || ' ' || (c->>'request_id'), c->>'made_at')::text
           FROM jsonb_array_elements(cmds) c
          WHERE c ? 'made_at' AND c ? 'request_id'), ''), true);
    RETURN tally_apply_batch_unstamped(cmds);
END $$;
