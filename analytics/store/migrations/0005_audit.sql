-- Audit log: one row per write (import, rollback, topic curation, mapping profile, hotspot weights),
-- made by the app or the command line: who, what, when, on what, with what counts. Rows are only
-- ever inserted; the action list and non-empty actor are enforced here, not only in Python.
CREATE SEQUENCE audit_log_id START 1;

CREATE TABLE audit_log (
    id      BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id'),
    at_time TIMESTAMP NOT NULL,
    actor   VARCHAR NOT NULL CHECK (length(trim(actor)) > 0),   -- web:<user>, local:<os user>, cli:<os user>
    action  VARCHAR NOT NULL CHECK (action IN (
                'import', 'rollback', 'mapping_profile',
                'topic_rename', 'topic_merge', 'topic_pin', 'hotspot_weights')),
    target  VARCHAR,      -- batch id, source name, topic id …
    counts  JSON,         -- e.g. {"imported": 120, "duplicates": 3, "quarantined": 1}
    detail  JSON          -- what was set: the saved mapping, the new label, the merge target …
);
