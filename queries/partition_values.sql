-- What a map of one aligned partition file needs (one row per area of its level,
-- in id order): the value and a status code, the position in
-- monitor.statuses.STATUS_CODES (0 ok, 1 suppressed, 2 missing, 3 pending,
-- 4 not_meaningful, 5 uncertain). The caller pairs rows with level_areas by
-- position. NaN, not NULL, so the arrays
-- arrive without masks. Suppressed cells never leave the database with a number.
SELECT
    CASE WHEN status = 'suppressed' THEN 'NaN'::DOUBLE
        ELSE coalesce(value, 'NaN'::DOUBLE) END AS value,
    CAST(CASE status WHEN 'ok' THEN 0 WHEN 'suppressed' THEN 1
        WHEN 'pending' THEN 3 WHEN 'not_meaningful' THEN 4 WHEN 'uncertain' THEN 5
        ELSE 2 END AS UTINYINT) AS status_code
FROM read_parquet(CAST($path AS VARCHAR), hive_partitioning = false);
