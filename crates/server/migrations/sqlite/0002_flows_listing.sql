-- What a page of the flows list reads (store::list_flows): one index per order it is sorted in,
-- each holding every column the list filters by and the id, so that the count and the page's
-- ids come from an index alone, read in the page's order. Without them a list read every
-- flow's row and sorted them all, and SQLite keeps a row's columns after its flow.json in that
-- text's overflow pages: about 50 MB read for a page of 50 among 10,000 flows (BENCHMARKS.md).
-- Kept in step with ../postgres/0002_flows_listing.sql.
CREATE INDEX flows_listing_by_update
    ON flows (deleted_at, updated_at, id, account_id, status, name_folded, created_at);
CREATE INDEX flows_listing_by_name ON flows (deleted_at, name_folded, id, account_id, status);
