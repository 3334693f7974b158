-- A third listing index, for the order by creation, which sorted every flow (sort=-created:
-- 8.5 ms of CPU per page, BENCHMARKS.md). Unlike PostgreSQL (../postgres/0005_live_flows_listing.sql),
-- SQLite takes `deleted_at IS NULL` as an equality on an index's first column, so 0002's
-- indexes already give their order; partial indexes would not do here: SQLite reads one as
-- covering only when it holds every column the query names, and preferred `flows_by_account`
-- to them when the list is filtered by account. Each order's tie-break follows its direction
-- (store::Sort), so a page sorted newest first is a backward scan with no sort.
CREATE INDEX flows_listing_by_creation ON flows (deleted_at, created_at, id, account_id, status, name_folded);
