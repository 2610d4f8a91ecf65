-- Import bookkeeping: saved header mappings per source, and batch ids that stay unique after a
-- rollback (last_id keeps complaints.id from being reused; rolled_back_at marks a removed batch).
CREATE TABLE mapping_profiles (
    source      VARCHAR PRIMARY KEY,
    mapping     JSON NOT NULL,        -- header -> field ("" keeps the column in extras)
    updated_at  TIMESTAMP NOT NULL
);

ALTER TABLE batches ADD COLUMN last_id BIGINT;            -- highest complaints.id the batch assigned
ALTER TABLE batches ADD COLUMN rolled_back_at TIMESTAMP;  -- set when the batch's rows were removed
