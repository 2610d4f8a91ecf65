-- Core store: one row per complaint, the import batches that brought them, the rows that could not
-- be imported, and the demo generator's planted truth. Column meanings: README.md "Data model".
CREATE TABLE complaints (
    id              BIGINT    NOT NULL,  -- internal key, unique in the database, never reused
    complaint_id    VARCHAR   NOT NULL,  -- the export's own id, as text
    source          VARCHAR   NOT NULL,  -- 12345 / 12315 / 消委会 / other name
    received_at     TIMESTAMP NOT NULL,
    closed_at       TIMESTAMP,           -- NULL while open
    kind            VARCHAR   NOT NULL,  -- 咨询 / 求助 / 建议 / 投诉 / 举报 / 其他
    county          VARCHAR,             -- canonical county name from the region profile
    town            VARCHAR,
    sector          VARCHAR,             -- sector of the region profile's taxonomy
    sector_inferred BOOLEAN   NOT NULL DEFAULT false,  -- true when inferred from the text
    business        VARCHAR,             -- the business complained about
    title           VARCHAR,
    content         VARCHAR,
    result          VARCHAR,             -- handling result / official reply
    resolved        BOOLEAN,             -- complainant's problem solved (NULL: unknown)
    department      VARCHAR,             -- department that handled it (承办单位)
    amount          DOUBLE,              -- money involved, yuan
    support         INTEGER,             -- likes on a message board
    opposition      INTEGER,             -- dislikes on a message board
    complainant     VARCHAR,             -- masked at import
    extras          JSON,                -- unmapped columns of the export, nothing dropped
    dedupe_key      VARCHAR   NOT NULL,  -- source-scoped identity used to refuse duplicates
    batch_id        VARCHAR   NOT NULL
);

CREATE TABLE batches (
    batch_id     VARCHAR PRIMARY KEY,
    file_name    VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,
    sheet        VARCHAR,
    source       VARCHAR NOT NULL,
    imported_at  TIMESTAMP NOT NULL,
    rows_read    BIGINT NOT NULL,
    imported     BIGINT NOT NULL,
    duplicates   BIGINT NOT NULL,
    quarantined  BIGINT NOT NULL,
    mapping      JSON                  -- header -> field used for this batch
);

CREATE TABLE quarantine (
    batch_id    VARCHAR NOT NULL,
    file_name   VARCHAR NOT NULL,
    sheet       VARCHAR,
    row_number  BIGINT NOT NULL,       -- 1-based data row as the analyst sees it in the file
    raw         JSON NOT NULL,         -- the row's values, personal data masked
    reason      VARCHAR NOT NULL
);

CREATE TABLE demo_truth (
    complaint_id VARCHAR NOT NULL,
    theme        VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    kind         VARCHAR NOT NULL      -- 'issue' (a yearly hotspot issue) or 'event' (a burst)
);
