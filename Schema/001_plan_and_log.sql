-- Tally schema v1: the plan (departments, lines, periods, targets, batches, projects),
-- credentials, idempotent requests, and the append-only change log.
-- Quantities and money are numeric (exact). Times are timestamptz; periods are China Standard Time.

CREATE TABLE departments (
    code        text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('central', 'functional_zone', 'subdistrict')),
    sort_order  int  NOT NULL DEFAULT 0
);

-- A line of work inside a department (总部引领, 产业升级 ...), optionally mapped to a goal (现代海洋活力新城).
CREATE TABLE lines (
    code        text PRIMARY KEY,
    department  text NOT NULL REFERENCES departments(code),
    name        text NOT NULL,
    goal        text NOT NULL DEFAULT '',
    sort_order  int  NOT NULL DEFAULT 0
);

-- Reporting periods: the campaign year ('2023') and its months ('2023-01' ...), bounds in CST.
CREATE TABLE periods (
    code        text PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('year', 'month')),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    due_at      timestamptz NOT NULL,
    CHECK (starts_at < ends_at)
);

CREATE TABLE targets (
    id              text PRIMARY KEY,
    department      text NOT NULL REFERENCES departments(code),
    line            text NOT NULL REFERENCES lines(code),
    name            text NOT NULL,
    unit            text NOT NULL,
    direction       text NOT NULL CHECK (direction IN ('at_least', 'at_most')),
    target_figure   numeric NOT NULL CHECK (target_figure >= 0),
    current_figure  numeric NOT NULL DEFAULT 0,
    period          text NOT NULL REFERENCES periods(code),
    qualifier       text NOT NULL DEFAULT '',   -- the document's wording: '不少于', '力争', '10余个' ...
    version         bigint NOT NULL DEFAULT 1,
    note            text NOT NULL DEFAULT '',
    sort_order      int  NOT NULL DEFAULT 0,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE batches (
    id                    text PRIMARY KEY,
    department            text NOT NULL REFERENCES departments(code),
    line                  text NOT NULL REFERENCES lines(code),
    name                  text NOT NULL,
    planned_count         int  NOT NULL CHECK (planned_count >= 0),
    planned_investment    numeric CHECK (planned_investment >= 0),   -- 亿元; NULL when the plan names none
    investment_qualifier  text NOT NULL DEFAULT '',                  -- '', '近', '超', '不低于'
    milestone             text NOT NULL,                             -- a stage
    sort_order            int  NOT NULL DEFAULT 0
);

-- Stages in order: planned, signed, land_acquired, under_construction, completed, in_production.
CREATE TABLE projects (
    id                    text PRIMARY KEY,
    name                  text NOT NULL,
    lead_department       text NOT NULL REFERENCES departments(code),
    line                  text NOT NULL REFERENCES lines(code),
    batch                 text REFERENCES batches(id),
    planned_investment    numeric CHECK (planned_investment >= 0),   -- 亿元
    investment_completed  numeric NOT NULL DEFAULT 0 CHECK (investment_completed >= 0),
    percent               numeric NOT NULL DEFAULT 0 CHECK (percent >= 0 AND percent <= 100),
    stage                 text NOT NULL CHECK (stage IN ('planned', 'signed', 'land_acquired',
                              'under_construction', 'completed', 'in_production')),
    version               bigint NOT NULL DEFAULT 1,
    sort_order            int  NOT NULL DEFAULT 0,
    updated_at            timestamptz NOT NULL DEFAULT now()
);

-- Departments other than the lead that report on a project (圣元液体蛋白 is led by one, co-reported by another).
CREATE TABLE project_departments (
    project     text NOT NULL REFERENCES projects(id),
    department  text NOT NULL REFERENCES departments(code),
    PRIMARY KEY (project, department)
);

CREATE TABLE credentials (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    token_hash  text NOT NULL UNIQUE,           -- hex SHA-256 of the token; the token itself is never stored
    role        text NOT NULL CHECK (role IN ('department', 'central', 'admin')),
    department  text REFERENCES departments(code),
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    CHECK ((role = 'department') = (department IS NOT NULL))
);

-- The first outcome of each write, so that a retry with the same request id returns it unchanged.
CREATE TABLE requests (
    credential  text NOT NULL,
    request_id  text NOT NULL,
    result      jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (credential, request_id)
);

-- The append-only log of every accepted change. Sequence numbers follow commit order with no gaps:
-- they are taken from change_log_head, whose row lock is held until the writing transaction commits.
CREATE TABLE change_log (
    sequence      bigint PRIMARY KEY,
    committed_at  timestamptz NOT NULL DEFAULT now(),
    period        text NOT NULL,            -- reporting period the change belongs to ('2023-03')
    department    text,                     -- who: the credential's department (NULL for central/admin)
    credential    text,                     -- credential id, never the token
    kind          text NOT NULL,            -- 'target', 'project', 'register', 'plan'
    subject_id    text NOT NULL,            -- target or project id, or the plan entity's id
    field         text NOT NULL,
    old_value     text NOT NULL DEFAULT '',
    new_value     text NOT NULL DEFAULT '',
    note          text NOT NULL DEFAULT '',
    request_id    text NOT NULL DEFAULT '',
    entity        jsonb NOT NULL DEFAULT '{}'  -- the subject's full state after the change
);
CREATE INDEX change_log_subject ON change_log (subject_id, sequence);
CREATE INDEX change_log_department_period ON change_log (department, period);

CREATE TABLE change_log_head (
    id        int PRIMARY KEY CHECK (id = 1),
    sequence  bigint NOT NULL
);
INSERT INTO change_log_head VALUES (1, 0);

-- History is evidence: the log refuses UPDATE, DELETE and TRUNCATE.
CREATE FUNCTION tally_change_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'change_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON change_log
    FOR EACH ROW EXECUTE FUNCTION tally_change_log_is_append_only();
CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON change_log
    FOR EACH STATEMENT EXECUTE FUNCTION tally_change_log_is_append_only();
