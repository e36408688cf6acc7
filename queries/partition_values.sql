-- What a map of one aligned partition file needs (one row per area of its level,
-- in id order): the value and a status code (0 ok, 1 suppressed, 2 missing). The
-- caller pairs rows with level_areas by position. NaN, not NULL, so the arrays
-- arrive without masks. Suppressed cells never leave the database with a number.
SELECT
    CASE WHEN status = 'suppressed' THEN 'NaN'::DOUBLE
        ELSE coalesce(value, 'NaN'::DOUBLE) END AS value,
    CAST(CASE status WHEN 'ok' THEN 0 WHEN 'suppressed' THEN 1 ELSE 2 END AS UTINYINT)
        AS status_code
FROM read_parquet(CAST($path AS VARCHAR), hive_partitioning = false);
