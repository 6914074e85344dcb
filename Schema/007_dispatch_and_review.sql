-- Tally schema 007: the central office's 调度 requests (dispatches) and the review (审核) of period
-- reports (issue 16).
--
-- A dispatch asks some departments for figures or an explanation by a due time; each addressed
-- department answers once, with text and optionally a period report whose updates commit in the
-- same command (one subtransaction of the writer's batch). Whether an unanswered department is
-- overdue is not stored: the server computes it from due_at and its clock (DispatchStanding).
--
-- Every period report is recorded (period_reports) as `submitted`; the central office accepts it or
-- returns it with a comment; a corrected resubmission names the returned report it corrects. The
-- figures count as soon as they are reported: a review changes no figure, and a correction is a
-- new report with its own changes in the log.
--
-- Every action is a change in the log: kind 'dispatch' (field created / answered / closed, entity =
-- the dispatch as tally_dispatch_json gives it) and kind 'review' (field submitted / accepted /
-- returned, entity = the report as tally_period_report_json gives it). Instants in these entities
-- are Unix milliseconds. The instants themselves are the server's clock (`server_at` of a command,
-- which a server pinned for tests sets to its pinned now), so that due times and answers compare
-- on one clock.
--
-- The writer's ops: dispatch_create, dispatch_answer, dispatch_close, review; period_report now
-- also records the report. They are added to tally_apply_one (003) with nothing else changed there;
-- a later migration that replaces tally_apply_one must keep these branches.

CREATE SEQUENCE period_report_numbers;
CREATE SEQUENCE dispatch_numbers;

CREATE TABLE period_reports (
    id              text PRIMARY KEY,                    -- 'R12'
    department      text NOT NULL REFERENCES departments(code),
    period          text NOT NULL,
    credential      text NOT NULL,
    request_id      text NOT NULL DEFAULT '',
    note            text NOT NULL DEFAULT '',
    first_sequence  bigint NOT NULL,                     -- the report's updates in the change log
    last_sequence   bigint NOT NULL,
    submitted_at    timestamptz NOT NULL,
    review_state    text NOT NULL DEFAULT 'submitted' CHECK (review_state IN ('submitted', 'accepted', 'returned')),
    review_comment  text NOT NULL DEFAULT '',
    reviewed_at     timestamptz,
    reviewed_by     text,                                -- credential id
    resubmits       text UNIQUE REFERENCES period_reports(id),  -- the returned report this corrects
    dispatch        text                                 -- the dispatch it answers, if any
);
CREATE INDEX period_reports_department ON period_reports (department, submitted_at);

CREATE TABLE dispatches (
    id            text PRIMARY KEY,                      -- 'D3'
    title         text NOT NULL,
    instructions  text NOT NULL DEFAULT '',
    subjects      text[] NOT NULL DEFAULT '{}',          -- target or project ids it concerns
    due_at        timestamptz NOT NULL,
    created_at    timestamptz NOT NULL,
    created_by    text NOT NULL,                         -- credential id
    closed_at     timestamptz,
    closed_by     text
);

CREATE TABLE dispatch_recipients (
    dispatch     text NOT NULL REFERENCES dispatches(id),
    department   text NOT NULL REFERENCES departments(code),
    answered_at  timestamptz,
    answered_by  text,
    answer       text NOT NULL DEFAULT '',
    report       text REFERENCES period_reports(id),
    PRIMARY KEY (dispatch, department)
);

ALTER TABLE period_reports ADD FOREIGN KEY (dispatch) REFERENCES dispatches(id);

-- The server's instants (server_at) are chosen per attempt: a retry of the same request keeps its
-- fingerprint.
CREATE OR REPLACE FUNCTION tally_request_fingerprint(cmd jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT md5((cmd - 'request_id' - 'period' - 'server_at')::text)
$$;

CREATE FUNCTION tally_unix_ms(at timestamptz) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT (extract(epoch FROM at) * 1000)::bigint
$$;

CREATE FUNCTION tally_server_at(cmd jsonb) RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT COALESCE(NULLIF(cmd->>'server_at', '')::timestamptz, clock_timestamp())
$$;

CREATE FUNCTION tally_period_report_json(report_id text) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', r.id, 'department', r.department, 'period', r.period, 'credential', r.credential,
        'request_id', r.request_id, 'note', r.note, 'first_sequence', r.first_sequence,
        'last_sequence', r.last_sequence, 'submitted_ms', tally_unix_ms(r.submitted_at),
        'review_state', r.review_state, 'review_comment', r.review_comment,
        'reviewed_ms', tally_unix_ms(r.reviewed_at), 'reviewed_by', r.reviewed_by,
        'resubmits', r.resubmits, 'dispatch', r.dispatch,
        'corrected_by', (SELECT c.id FROM period_reports c WHERE c.resubmits = r.id))
    FROM period_reports r WHERE r.id = report_id
$$;

CREATE FUNCTION tally_dispatch_json(dispatch_id text) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', d.id, 'title', d.title, 'instructions', d.instructions, 'subjects', to_jsonb(d.subjects),
        'due_ms', tally_unix_ms(d.due_at), 'created_ms', tally_unix_ms(d.created_at),
        'created_by', d.created_by, 'closed_ms', tally_unix_ms(d.closed_at), 'closed_by', d.closed_by,
        'recipients', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                'department', r.department, 'answered_ms', tally_unix_ms(r.answered_at),
                'answered_by', r.answered_by, 'answer', r.answer, 'report', r.report) ORDER BY r.department)
            FROM dispatch_recipients r WHERE r.dispatch = d.id), '[]'::jsonb))
    FROM dispatches d WHERE d.id = dispatch_id
$$;

-- A period report (op period_report, or the report of a dispatch answer): its updates as before
-- (tally_do_period_report), then the report's record as `submitted` and its 'review' change.
-- A resubmission must name a returned report of the same department that no report corrects yet.
CREATE FUNCTION tally_do_recorded_period_report(cmd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    outcome jsonb;
    previous period_reports;
    report_id text := 'R' || nextval('period_report_numbers');
    seq bigint;
BEGIN
    IF COALESCE(cmd->>'resubmits', '') <> '' THEN
        SELECT * INTO previous FROM period_reports WHERE id = cmd->>'resubmits' FOR UPDATE;
        IF NOT FOUND THEN
            PERFORM tally_fail('TLNOT', format('resubmits: report "%s" does not exist', cmd->>'resubmits'));
        END IF;
        IF previous.department IS DISTINCT FROM cmd->>'department' THEN
            PERFORM tally_fail('TLDNY', format('resubmits: report "%s" is a report of %s; this credential reports for %s',
                previous.id, tally_department_label(previous.department), tally_department_label(cmd->>'department')));
        END IF;
        IF previous.review_state <> 'returned' THEN
            PERFORM tally_fail('TLORD', format('resubmits: report "%s" is %s, not returned: only a returned report is corrected by a resubmission',
                previous.id, previous.review_state));
        END IF;
        IF EXISTS (SELECT 1 FROM period_reports WHERE resubmits = previous.id) THEN
            PERFORM tally_fail('TLORD', format('resubmits: report "%s" was already corrected by report "%s"',
                previous.id, (SELECT id FROM period_reports WHERE resubmits = previous.id)));
        END IF;
    END IF;
    outcome := tally_do_period_report(cmd);
    INSERT INTO period_reports (id, department, period, credential, request_id, note, first_sequence,
                                last_sequence, submitted_at, resubmits, dispatch)
    VALUES (report_id, cmd->>'department',
            COALESCE(NULLIF(cmd->>'period', ''), tally_cst_month(tally_server_at(cmd))),
            cmd->>'credential', COALESCE(cmd->>'request_id', ''), COALESCE(cmd->>'note', ''),
            (outcome->>'first_sequence')::bigint, (outcome->>'last_sequence')::bigint, tally_server_at(cmd),
            NULLIF(cmd->>'resubmits', ''), NULLIF(cmd->>'dispatch_id', ''));
    seq := tally_log(cmd, 'review', report_id, 'submitted', COALESCE(cmd->>'resubmits', ''), 'submitted',
                     tally_period_report_json(report_id));
    RETURN outcome || jsonb_build_object('report', tally_period_report_json(report_id),
                                         'last_sequence', seq, 'sequence', seq);
END $$;

-- A dispatch from the central office: the addressed departments must exist and report (not the
-- central office itself); the subjects must be targets or projects.
CREATE FUNCTION tally_do_dispatch_create(cmd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    dispatch_id text := 'D' || nextval('dispatch_numbers');
    dept text;
    subject text;
    seq bigint;
BEGIN
    INSERT INTO dispatches (id, title, instructions, subjects, due_at, created_at, created_by)
    VALUES (dispatch_id, cmd->>'title', COALESCE(cmd->>'instructions', ''),
            ARRAY(SELECT jsonb_array_elements_text(COALESCE(cmd->'subjects', '[]'::jsonb))),
            (cmd->>'due_at')::timestamptz, tally_server_at(cmd), cmd->>'credential');
    FOR dept IN SELECT jsonb_array_elements_text(cmd->'departments') LOOP
        IF NOT EXISTS (SELECT 1 FROM departments d WHERE d.code = dept AND d.kind <> 'central') THEN
            PERFORM tally_fail('TLNOT', format('departments: "%s" is not a reporting department', dept));
        END IF;
        INSERT INTO dispatch_recipients (dispatch, department) VALUES (dispatch_id, dept) ON CONFLICT DO NOTHING;
    END LOOP;
    FOR subject IN SELECT jsonb_array_elements_text(COALESCE(cmd->'subjects', '[]'::jsonb)) LOOP
        IF NOT EXISTS (SELECT 1 FROM targets WHERE id = subject) AND NOT EXISTS (SELECT 1 FROM projects WHERE id = subject) THEN
            PERFORM tally_fail('TLNOT', format('subjects: "%s" is not a target or project', subject));
        END IF;
    END LOOP;
    seq := tally_log(cmd - 'note', 'dispatch', dispatch_id, 'created', '', cmd->>'title', tally_dispatch_json(dispatch_id));
    RETURN jsonb_build_object('sequence', seq, 'dispatch', tally_dispatch_json(dispatch_id));
END $$;

-- A department's answer: once, while the dispatch is open, only by an addressed department; with
-- `updates`, a period report committed in the same subtransaction and linked to the answer.
CREATE FUNCTION tally_do_dispatch_answer(cmd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    d dispatches;
    r dispatch_recipients;
    sent jsonb;
    seq bigint;
BEGIN
    SELECT * INTO d FROM dispatches WHERE id = cmd->>'dispatch_id' FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM tally_fail('TLNOT', format('dispatch "%s" does not exist', cmd->>'dispatch_id'));
    END IF;
    SELECT * INTO r FROM dispatch_recipients WHERE dispatch = d.id AND department = cmd->>'department';
    IF NOT FOUND THEN
        PERFORM tally_fail('TLDNY', format('dispatch "%s" is not addressed to %s',
            d.id, tally_department_label(cmd->>'department')));
    END IF;
    IF d.closed_at IS NOT NULL THEN
        PERFORM tally_fail('TLORD', format('dispatch "%s" was closed; it takes no more answers', d.id));
    END IF;
    IF r.answered_at IS NOT NULL THEN
        PERFORM tally_fail('TLDUP', format('dispatch "%s" was already answered by %s',
            d.id, tally_department_label(r.department)));
    END IF;
    IF jsonb_array_length(COALESCE(cmd->'updates', '[]'::jsonb)) > 0 THEN
        sent := tally_do_recorded_period_report(cmd);
    END IF;
    UPDATE dispatch_recipients SET answered_at = tally_server_at(cmd), answered_by = cmd->>'credential',
                                   answer = COALESCE(cmd->>'answer', ''), report = sent->'report'->>'id'
     WHERE dispatch = d.id AND department = r.department;
    seq := tally_log(cmd || jsonb_build_object('note', COALESCE(cmd->>'answer', '')), 'dispatch', d.id, 'answered',
                     '', r.department, tally_dispatch_json(d.id));
    RETURN COALESCE(sent, '{}'::jsonb) || jsonb_build_object(
        'sequence', seq, 'last_sequence', seq,
        'first_sequence', COALESCE((sent->>'first_sequence')::bigint, seq),
        'dispatch', tally_dispatch_json(d.id));
END $$;

CREATE FUNCTION tally_do_dispatch_close(cmd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    d dispatches;
    seq bigint;
BEGIN
    SELECT * INTO d FROM dispatches WHERE id = cmd->>'dispatch_id' FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM tally_fail('TLNOT', format('dispatch "%s" does not exist', cmd->>'dispatch_id'));
    END IF;
    IF d.closed_at IS NOT NULL THEN
        PERFORM tally_fail('TLORD', format('dispatch "%s" is already closed', d.id));
    END IF;
    UPDATE dispatches SET closed_at = tally_server_at(cmd), closed_by = cmd->>'credential' WHERE id = d.id;
    seq := tally_log(cmd, 'dispatch', d.id, 'closed', 'open', 'closed', tally_dispatch_json(d.id));
    RETURN jsonb_build_object('sequence', seq, 'dispatch', tally_dispatch_json(d.id));
END $$;

-- Accepts or returns a submitted report (action 'accept' or 'return'; the comment is the log's note).
CREATE FUNCTION tally_do_review(cmd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    r period_reports;
    new_state text := CASE cmd->>'action' WHEN 'accept' THEN 'accepted' WHEN 'return' THEN 'returned' END;
    seq bigint;
BEGIN
    SELECT * INTO r FROM period_reports WHERE id = cmd->>'report_id' FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM tally_fail('TLNOT', format('report "%s" does not exist', cmd->>'report_id'));
    END IF;
    IF r.review_state <> 'submitted' THEN
        PERFORM tally_fail('TLORD', format('report "%s" was already %s; only a submitted report is reviewed',
            r.id, r.review_state));
    END IF;
    UPDATE period_reports SET review_state = new_state, review_comment = COALESCE(cmd->>'comment', ''),
                              reviewed_at = tally_server_at(cmd), reviewed_by = cmd->>'credential'
     WHERE id = r.id;
    seq := tally_log(cmd || jsonb_build_object('note', COALESCE(cmd->>'comment', '')), 'review', r.id, new_state,
                     r.review_state, new_state, tally_period_report_json(r.id));
    RETURN jsonb_build_object('sequence', seq, 'report', tally_period_report_json(r.id));
END $$;

-- Runs one command (003), with the ops of this migration.
CREATE OR REPLACE FUNCTION tally_apply_one(cmd jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    rid text := NULLIF(cmd->>'request_id', '');
    stored jsonb;
    outcome jsonb;
BEGIN
    IF EXISTS (SELECT 1 FROM credentials WHERE id = cmd->>'credential' AND revoked_at IS NOT NULL) THEN
        PERFORM tally_fail('TLREV', format('credential %s has been revoked', cmd->>'credential'));
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
        WHEN 'period_report' THEN tally_do_recorded_period_report(cmd)
        WHEN 'upsert' THEN tally_do_upsert(cmd)
        WHEN 'dispatch_create' THEN tally_do_dispatch_create(cmd)
        WHEN 'dispatch_answer' THEN tally_do_dispatch_answer(cmd)
        WHEN 'dispatch_close' THEN tally_do_dispatch_close(cmd)
        WHEN 'review' THEN tally_do_review(cmd)
    END;
    IF outcome IS NULL THEN
        PERFORM tally_fail('TLARG', format('unknown operation "%s"', cmd->>'op'));
    END IF;
    outcome := outcome || jsonb_build_object('replayed', false);
    IF rid IS NOT NULL THEN
        INSERT INTO requests (credential, request_id, result, fingerprint)
        VALUES (cmd->>'credential', rid, outcome, tally_request_fingerprint(cmd));
    END IF;
    RETURN outcome;
END $$;
