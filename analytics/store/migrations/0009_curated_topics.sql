-- One owner of the topic data: every view reads topics through these two views, so the analyst's
-- merges and renames (topic_curation) are applied in one place.
--
-- curated_assignments: a complaint's issue topic as shown (a topic merged into another counts as
-- that one); raw_topic_id is the topic the model assigned.
CREATE VIEW curated_assignments AS
SELECT a.run_id, a.id, coalesce(tc.merged_into, a.topic_id) AS topic_id, a.topic_id AS raw_topic_id, a.event_id
FROM topic_assignments a
LEFT JOIN topic_curation tc ON tc.topic_id = a.topic_id;

-- curated_labels: every topic and event of a run with the label shown (the analyst's rename first);
-- shown_as is the topic an issue is shown as (itself unless merged), parent_topic_id of an event
-- is resolved the same way.
CREATE VIEW curated_labels AS
SELECT t.run_id, t.topic_id, t.level, t.label AS auto_label,
       coalesce(nullif(tc.label, ''), t.label) AS label,
       CASE WHEN t.level = 'issue' THEN coalesce(tc.merged_into, t.topic_id) END AS shown_as,
       CASE WHEN t.level = 'event' THEN coalesce(ptc.merged_into, t.parent_topic_id) END AS parent_topic_id,
       t.keywords, t.size, t.representatives, coalesce(tc.pinned, false) AS pinned,
       tc.topic_id IS NOT NULL AS curated    -- the analyst renamed, merged or pinned it
FROM topics t
LEFT JOIN topic_curation tc ON tc.topic_id = t.topic_id
LEFT JOIN topic_curation ptc ON ptc.topic_id = t.parent_topic_id;

-- Topic runs are computed over all complaints; a period filters that one assignment. Runs fitted
-- for one period by earlier versions are no longer read by anything.
DELETE FROM topic_assignments WHERE run_id IN (
    SELECT run_id FROM topic_runs WHERE period_from IS NOT NULL OR period_to IS NOT NULL
);
DELETE FROM topics WHERE run_id IN (
    SELECT run_id FROM topic_runs WHERE period_from IS NOT NULL OR period_to IS NOT NULL
);
DELETE FROM topic_models WHERE run_id IN (
    SELECT run_id FROM topic_runs WHERE period_from IS NOT NULL OR period_to IS NOT NULL
);
DELETE FROM topic_runs WHERE period_from IS NOT NULL OR period_to IS NOT NULL;
