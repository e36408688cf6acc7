-- Numerators and denominators of one aligned partition file, read only when a
-- table, a selected area or a download needs them (a third of the read time of a
-- million-cell switch). Suppressed cells never leave the database with a number.
SELECT
    CASE WHEN status = 'suppressed' THEN 'NaN'::DOUBLE
        ELSE coalesce(numerator, 'NaN'::DOUBLE) END AS numerator,
    CASE WHEN status = 'suppressed' THEN 'NaN'::DOUBLE
        ELSE coalesce(denominator, 'NaN'::DOUBLE) END AS denominator
FROM read_parquet(CAST($path AS VARCHAR), hive_partitioning = false);
