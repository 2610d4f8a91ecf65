-- Identity without personal data (issue 14): a salted hash (analytics/ingest/identity.py) of the
-- complainant's phone or ID number, computed at import from the raw cells before they are masked.
-- Only the hash is stored; NULL when no number was found. Complaints of one complainant across
-- 12345, 12315 and the consumer council share it, so the matters stage can link them.
ALTER TABLE complaints ADD COLUMN complainant_hash VARCHAR;
CREATE INDEX complaints_complainant_hash ON complaints (complainant_hash);
