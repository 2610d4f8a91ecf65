-- Fitted topic models (vectoriser + LSA + centres), so that new complaints can be assigned to the
-- existing topics of a run without re-clustering. One row per fully fitted run.
CREATE TABLE topic_models (
    run_id     VARCHAR PRIMARY KEY,
    created_at TIMESTAMP NOT NULL,
    model      BLOB NOT NULL            -- pickle of analytics.topics.engine.FittedModel
);
