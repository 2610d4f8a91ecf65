-- Integrity enforced by the database, not only by the import code (issue 11): complaints.id is the
-- primary key, dedupe_key is unique (two imports at once can no longer both insert a file), and an
-- amount is a finite number of yuan in (0, 10,000,000] (analytics/ingest/normalise.py MAX_AMOUNT_YUAN;
-- a phone number read as 13.8 billion yuan cannot reach a total). DuckDB cannot add these to an
-- existing table, so the table is rebuilt; rows of older databases that break them are repaired
-- first, and nothing is dropped silently:
--   * a repeated dedupe_key: the first row (lowest id) stays; each later one is removed and counted
--     as a duplicate of its batch (batches.imported - 1, duplicates + 1), as the import counts it;
--   * an id held by several rows: the later rows get new ids above the highest one; cached tokens
--     of those ids are dropped (they are recomputed on demand);
--   * an amount outside the range: moved to extras under 金额（迁移移出） and set NULL.

CREATE TEMP TABLE _repeated AS
SELECT rid, batch_id FROM (
    SELECT rowid AS rid, batch_id,
           row_number() OVER (PARTITION BY dedupe_key ORDER BY id, batch_id, rowid) AS rn
    FROM complaints
) WHERE rn > 1;

UPDATE batches SET imported = batches.imported - r.n, duplicates = batches.duplicates + r.n
FROM (SELECT batch_id, count(*) AS n FROM _repeated GROUP BY batch_id) r
WHERE batches.batch_id = r.batch_id;

DELETE FROM complaints WHERE rowid IN (SELECT rid FROM _repeated);

CREATE TEMP TABLE _renumber AS
SELECT rid, id AS old_id,
       (SELECT coalesce(max(id), 0) FROM complaints) + row_number() OVER (ORDER BY id, rid) AS new_id
FROM (
    SELECT rowid AS rid, id, row_number() OVER (PARTITION BY id ORDER BY batch_id, rowid) AS rn
    FROM complaints
) WHERE rn > 1;

DELETE FROM tokens WHERE id IN (SELECT old_id FROM _renumber) OR id NOT IN (SELECT id FROM complaints);

CREATE TABLE complaints_checked (
    id              BIGINT    NOT NULL PRIMARY KEY,
    complaint_id    VARCHAR   NOT NULL,
    source          VARCHAR   NOT NULL,
    received_at     TIMESTAMP NOT NULL,
    closed_at       TIMESTAMP,
    kind            VARCHAR   NOT NULL,
    county          VARCHAR,
    town            VARCHAR,
    sector          VARCHAR,
    sector_inferred BOOLEAN   NOT NULL DEFAULT false,
    business        VARCHAR,
    title           VARCHAR,
    content         VARCHAR,
    result          VARCHAR,
    resolved        BOOLEAN,
    department      VARCHAR,
    amount          DOUBLE CHECK (amount IS NULL OR (isfinite(amount) AND amount > 0 AND amount <= 10000000)),
    support         INTEGER,
    opposition      INTEGER,
    complainant     VARCHAR,
    extras          JSON,
    dedupe_key      VARCHAR   NOT NULL UNIQUE,
    batch_id        VARCHAR   NOT NULL
);

INSERT INTO complaints_checked
SELECT c.* REPLACE (
    coalesce(r.new_id, c.id) AS id,
    CASE WHEN c.amount IS NULL OR (isfinite(c.amount) AND c.amount > 0 AND c.amount <= 10000000)
         THEN c.amount END AS amount,
    CASE WHEN c.amount IS NULL OR (isfinite(c.amount) AND c.amount > 0 AND c.amount <= 10000000) THEN c.extras
         ELSE json_merge_patch(coalesce(c.extras, '{}'::JSON),
                               json_object('金额（迁移移出）', CAST(c.amount AS VARCHAR))) END AS extras
)
FROM complaints c LEFT JOIN _renumber r ON r.rid = c.rowid
ORDER BY coalesce(r.new_id, c.id);

DROP TABLE complaints;
ALTER TABLE complaints_checked RENAME TO complaints;
DROP TABLE _repeated;
DROP TABLE _renumber;
