-- flow.json texts are compressed with lz4 rather than PostgreSQL's default, pglz: an autosave
-- writes its text twice (the flow and its version), and with pglz PostgreSQL spent 20 ms of
-- CPU per autosave of the maximal flow (1.2 MB), with lz4 7 to 9 ms (BENCHMARKS.md). lz4
-- needs PostgreSQL 14 or later built with it (Debian's, Ubuntu's and the official container
-- images are); elsewhere the texts stay compressed with pglz, as before. Only what is written
-- from now on is compressed with lz4. PostgreSQL only: SQLite does not compress.
DO $$
BEGIN
    EXECUTE 'ALTER TABLE flows ALTER COLUMN json_definition SET COMPRESSION lz4, '
        || 'ALTER COLUMN conflict_json SET COMPRESSION lz4';
    EXECUTE 'ALTER TABLE versions ALTER COLUMN json_definition SET COMPRESSION lz4';
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'flow.json texts stay compressed with pglz: %', SQLERRM;
END
$$;
