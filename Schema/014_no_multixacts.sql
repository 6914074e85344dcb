-- Tally schema 014: the write path creates no MultiXacts (issue #11, write path).
--
-- tally_apply_commands (Schema/012's batch function, renamed by Schema/013) locked the batch's
-- target rows in id order in the batch's own transaction and then updated them in a
-- subtransaction (the EXCEPTION block around the set statement, and each command's block on the
-- per-command path). A row locked by a transaction and then updated by one of its
-- subtransactions gets a MultiXact as its xmax (the locker and the updater are two transaction
-- ids): with pageinspect, 148 of 247 tuple versions of targets had HEAP_XMAX_IS_MULTI after 20
-- batches of 40 reports, and `tally bench --mode updates` created 525 MultiXacts in 15,808
-- reports (one a batch: the rows of a batch share one). Each costs an SLRU entry and a WAL record,
-- every later reader of such a tuple looks its members up, and under sustained load they use up
-- MultiXact ids (an anti-wraparound vacuum of targets every autovacuum_multixact_freeze_max_age,
-- 400 million by default: about six weeks at a hundred batches a second).

-- Now the rows the set statement may update (those of plain increments) are locked in the
-- subtransaction that updates them (same id order, still after the change-log head), and a
-- command that goes the per-command way locks its row in its own subtransaction, as
-- tally_apply_one always did. Every batch still takes the change-log head first, so two batches
-- (of one server or of several) never wait on each other's rows. A MultiXact remains only where
-- one batch writes a target twice and the second write goes the per-command way (a row one
-- subtransaction wrote and a later one locks and updates gets one: two reports of one target in a
-- batch of two, or a set_value or a versioned report of a target that plain increments of the same
-- batch moved), which is rare: set-based increments of one target in one batch take none.

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
            -- that updates them (a set_value or a versioned report locks its own, one by one).
            PERFORM 1 FROM targets
             WHERE id IN (SELECT e->>'target_id' FROM jsonb_array_elements(cmds) e
                           WHERE e->>'op' = 'report_target' AND NOT e ? 'set_value'
                             AND COALESCE((e->>'expected_version')::bigint, 0) = 0)
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
