-- Text and topic layer: cached tokens, topic runs, topics at two levels, assignments, curation.
CREATE TABLE tokens (
    id                BIGINT  NOT NULL,   -- complaints.id
    tokenizer_version VARCHAR NOT NULL,   -- hash of user dictionary + stopwords + code version
    text_hash         VARCHAR NOT NULL,   -- hash of the text tokenised; a change re-tokenises
    tokens            VARCHAR[] NOT NULL
);

CREATE TABLE topic_runs (
    run_id            VARCHAR PRIMARY KEY,
    created_at        TIMESTAMP NOT NULL,
    period_from       DATE,               -- NULL: from the first complaint
    period_to         DATE,               -- NULL: to the last complaint
    n_topics          INTEGER NOT NULL,
    n_complaints      BIGINT  NOT NULL,
    tokenizer_version VARCHAR NOT NULL,
    data_fingerprint  VARCHAR NOT NULL,   -- identifies the complaints the run saw (reuse check)
    params            JSON
);

CREATE TABLE topics (
    run_id           VARCHAR NOT NULL,
    topic_id         INTEGER NOT NULL,    -- stable across runs (matched to earlier runs)
    level            VARCHAR NOT NULL,    -- 'issue' or 'event'
    parent_topic_id  INTEGER,             -- for events: the issue topic they belong to
    label            VARCHAR NOT NULL,
    keywords         VARCHAR[] NOT NULL,
    size             BIGINT NOT NULL,
    representatives  BIGINT[] NOT NULL    -- complaints.id of representative complaints
);

CREATE TABLE topic_assignments (
    run_id    VARCHAR NOT NULL,
    id        BIGINT  NOT NULL,           -- complaints.id
    topic_id  INTEGER NOT NULL,           -- issue-level topic
    event_id  INTEGER                     -- event-level cluster inside the topic, NULL if none
);

-- Analyst curation, kept across runs: rename, merge into another topic, pin.
CREATE TABLE topic_curation (
    topic_id   INTEGER PRIMARY KEY,
    label      VARCHAR,                   -- analyst's label, overrides the automatic one
    merged_into INTEGER,                  -- topic this one is shown as part of
    pinned     BOOLEAN NOT NULL DEFAULT false,
    updated_at TIMESTAMP NOT NULL
);
