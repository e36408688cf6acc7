-- What the disclosure report's fingerprint covers, per indicator and year: rows,
-- suppressed rows, suppressed rows that still carry a count, and the sums of the
-- published counts (independent of the file layout, single file or partitions).
SELECT
    indicator_id,
    CAST(year AS BIGINT) AS year,
    count(*) AS n_rows,
    count(*) FILTER (WHERE status = 'suppressed') AS n_suppressed,
    count(*) FILTER (
        WHERE status = 'suppressed'
        AND (numerator IS NOT NULL OR denominator IS NOT NULL OR value IS NOT NULL)
    ) AS n_leaking,
    coalesce(sum(numerator) FILTER (WHERE status <> 'suppressed'), 0) AS numerator,
    coalesce(sum(denominator) FILTER (WHERE status <> 'suppressed'), 0) AS denominator
FROM indicator_values
GROUP BY indicator_id, year
ORDER BY indicator_id, year;
