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
        PERFORM tally_fail('TL003', format(
            'request_id: request id "%s" was used for a different request; a new request needs a new request id',
            cmd->>'request_id'));
    END IF;
    RETURN stored.result || jsonb_build_object('replayed', true);
END $$;

-- A period report's note counts for each of its updates that has no note of its own (v2 took the
-- update's empty note over the report's for targets; projects already fell back).
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
                       note = COALESCE(NULLIF(given_note, ''), targets.note), updated_at = clock_timestamp()
     WHERE id = t.id RETURNING * INTO t;
    seq := tally_log(cmd || jsonb_build_object('note', given_note),
                     'target', t.id, 'current_figure', old_figure::text, new_figure::text,
                     tally_target_json(t));
    RETURN jsonb_build_object('sequence', seq, 'target', tally_target_json(t));
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
        PERFORM tally_fail('TL016', format('credential %s has been revoked', cmd->>'credential'));
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
        PERFORM tally_fail('TL003', format('unknown operation "%s"', cmd->>'op'));
    END IF;
    outcome := outcome || jsonb_build_object('status', 0, 'replayed', false);
    IF rid IS NOT NULL THEN
        INSERT INTO requests (credential, request_id, result, fingerprint)
        VALUES (cmd->>'credential', rid, outcome, tally_request_fingerprint(cmd));
    END IF;
    RETURN outcome;
END $$;

-- Group commit: the head first (one global lock order), then each command in its own subtransaction.
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
BEGIN
    SELECT sequence INTO head FROM change_log_head WHERE id = 1 FOR UPDATE;
    PERFORM set_config('tally.sequence', head::text, true);
    FOR cmd IN SELECT jsonb_array_elements(cmds) LOOP
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
    last_sequence := current_setting('tally.sequence')::bigint;
    IF last_sequence > head THEN
        UPDATE change_log_head SET sequence = last_sequence WHERE id = 1;
        PERFORM pg_notify('tally_changes', last_sequence::text);
    END IF;
    RETURN to_jsonb(results);
END $$;
