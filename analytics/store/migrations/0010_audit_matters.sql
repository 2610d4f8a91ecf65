-- Matter curation (issue 14): an analyst's split or join of matters (事项, analytics/matters) is an
-- audited write like topic curation, actions 'matter_split' and 'matter_join'. DuckDB cannot alter a
-- CHECK constraint, so audit_log is rebuilt with its rows (ids and the sequence kept).
CREATE TABLE audit_log_v10 (
    id      BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id'),
    at_time TIMESTAMP NOT NULL,
    actor   VARCHAR NOT NULL CHECK (length(trim(actor)) > 0),   -- web:<user>, local:<os user>, cli:<os user>
    action  VARCHAR NOT NULL CHECK (action IN (
                'import', 'rollback', 'mapping_profile',
                'topic_rename', 'topic_merge', 'topic_pin', 'hotspot_weights',
                'matter_split', 'matter_join')),
    target  VARCHAR,      -- batch id, source name, topic id, complaint id …
    counts  JSON,
    detail  JSON
);
INSERT INTO audit_log_v10 SELECT id, at_time, actor, action, target, counts, detail FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_v10 RENAME TO audit_log;
