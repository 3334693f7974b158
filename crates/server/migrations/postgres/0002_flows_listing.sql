-- What a page of the flows list reads (store::list_flows): one index per order it is sorted in,
-- each holding every column the list filters by and the id, so that the count and the page's
-- ids come from an index-only scan rather than from the flows' wide rows (BENCHMARKS.md).
-- Kept in step with ../sqlite/0002_flows_listing.sql.
--
-- Names are searched and sorted by their bytes (collation "C"), as SQLite does: the same order
-- on both engines, and comparing by the database's locale (strcoll) was most of the time of a
-- page sorted by name.
ALTER TABLE flows ALTER COLUMN name_folded TYPE TEXT COLLATE "C";
CREATE INDEX flows_listing_by_update
    ON flows (deleted_at, updated_at, id, account_id, status, name_folded, created_at);
CREATE INDEX flows_listing_by_name ON flows (deleted_at, name_folded, id, account_id, status);
