-- Matters (事项, issue 14): complaints that describe one case across 12345, 12315 and the consumer
-- council, or one complainant calling again. Owned by analytics/matters; every complaint row stays.
--   matter_links:    one row per complaint the stage has seen; matter_id is the smallest complaint
--                    id of its matter. A complaint without a row is new (the next run links it).
--   matter_edges:    the pairs the linker found (a < b); kept, so a re-run compares only new rows.
--   matter_curation: the analysts' corrections, applied on every run: 'split' detaches complaint a
--                    from every found link; 'join' links a and b whatever the linker says.
CREATE TABLE matter_links (
    id        BIGINT NOT NULL PRIMARY KEY,
    matter_id BIGINT NOT NULL
);

CREATE TABLE matter_edges (
    a          BIGINT NOT NULL,
    b          BIGINT NOT NULL,
    similarity DOUBLE NOT NULL,
    rule       VARCHAR NOT NULL CHECK (rule IN ('complainant', 'business')),
    PRIMARY KEY (a, b),
    CHECK (a < b)
);

CREATE TABLE matter_curation (
    at_time TIMESTAMP NOT NULL,
    actor   VARCHAR NOT NULL CHECK (length(trim(actor)) > 0),
    action  VARCHAR NOT NULL CHECK (action IN ('split', 'join')),
    a       BIGINT NOT NULL,
    b       BIGINT,
    CHECK ((action = 'split' AND b IS NULL) OR (action = 'join' AND b IS NOT NULL AND a <> b))
);
