-- The flows list's indexes again, as partial indexes of the live flows (not in the trash).
-- PostgreSQL takes `deleted_at IS NULL` as a filter, not as an equality, so 0002's indexes,
-- which begin with deleted_at, could not give the list its order: every page of a sort by
-- name sorted all 10,000 flows (6 ms of a page's 10 ms of CPU; EXPLAIN ANALYZE, BENCHMARKS.md).
-- A partial index of the live flows is in the order asked for; each order's tie-break follows
-- its direction (store::Sort), so one index serves both directions by scanning backwards.
-- The trash (a few flows) is listed without them. SQLite keeps 0002's indexes, which work
-- there, and adds the order by creation (../sqlite/0005_live_flows_listing.sql).
DROP INDEX flows_listing_by_update;
DROP INDEX flows_listing_by_name;
CREATE INDEX flows_live_by_update ON flows (updated_at, id, account_id, status, name_folded)
    WHERE deleted_at IS NULL;
CREATE INDEX flows_live_by_name ON flows (name_folded, id, account_id, status)
    WHERE deleted_at IS NULL;
CREATE INDEX flows_live_by_creation ON flows (created_at, id, account_id, status, name_folded)
    WHERE deleted_at IS NULL;
