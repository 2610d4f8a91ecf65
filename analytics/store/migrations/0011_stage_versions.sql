-- The version of each stage (a group of tables with one writer, analytics/store/stages.py): every
-- write to a stage's tables adds a row here in its own transaction, so the app's cached reads are
-- keyed by the stages they read, and a topic run no longer evicts a complaints-only query.
-- A stage's version is its newest row's. Rows are only added (never updated), so two writers in
-- one process (two analysts curating at once) never conflict on a row. A version is a fresh uuid,
-- not a counter, so two databases, or one rebuilt at the same path, never share one.
CREATE SEQUENCE stage_version_id START 1;
CREATE TABLE stage_versions (
    id         BIGINT    NOT NULL DEFAULT nextval('stage_version_id'),  -- orders the rows
    stage      VARCHAR   NOT NULL,
    version    VARCHAR   NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
