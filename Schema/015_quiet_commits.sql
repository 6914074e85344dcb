-- Tally schema 015: commits notify only while another server follows the log (issue #11, write
-- path).
--
-- Every batch ended with NOTIFY tally_changes, so that the other servers on the database read the
-- log at once instead of at their next half-second read. A server alone on its database has no
-- one to tell, and the notification is not free: with a session LISTENing (each server's change
-- feed does), a lone increment's pipeline (pgbench) used 537 µs of PostgreSQL CPU and took 852 µs,
-- against 451 µs and 689 µs with no session listening, and the feed's thread woke for every batch
-- only to find the notification was its own server's (BENCHMARKS.md, "Write path v8").
--
-- Each server's change feed names its connection (application_name "tally change feed") and looks
-- every half second for another such session on the database (Sources/TallyCore/Fanout/
-- ChangeFeed.swift). While it finds none, the writer calls tally_apply_batch_quietly, which sets
-- tally.quiet for the transaction, and the two batch functions leave the NOTIFY out. A server that
-- starts meanwhile loses nothing: its feed reads the log every half second regardless, and within
-- one such interval the first server sees it and notifies again. Everything else that writes the
-- log (the plan tools, an older server) notifies as before.

-- NOTIFY tally_changes with the batch's last sequence, unless the transaction set tally.quiet.
CREATE FUNCTION tally_notify_changes(last_sequence bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF COALESCE(current_setting('tally.quiet', true), '') <> 'on' THEN
        PERFORM pg_notify('tally_changes', last_sequence::text);
    END IF;
END $$;

-- The writer's call while no other server follows the log: tally_apply_batch without its NOTIFY.
CREATE FUNCTION tally_apply_batch_quietly(cmds jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('tally.quiet', 'on', true);
    RETURN tally_apply_batch(cmds);
END $$;

-- Schema/014's single statement, its notification by tally_notify_changes.
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
    PERFORM tally_notify_changes(head + 1);
    RETURN answer;
END $$;

-- Schema/014's batch function, its notification by tally_notify_changes.
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
        PERFORM tally_notify_changes(last_sequence);
    END IF;
    RETURN CASE WHEN answers IS NULL THEN COALESCE(fast->'answers', '[]') ELSE to_jsonb(answers) END;
END $$;
