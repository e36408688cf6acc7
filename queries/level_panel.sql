-- Every indicator and year for every area of one level (ranks in profiles, change
-- rankings). Suppressed cells never leave the database with a number.
SELECT
    v.area_id,
    v.indicator_id,
    v.year,
    CASE WHEN v.status = 'suppressed' THEN NULL ELSE v.numerator END AS numerator,
    CASE WHEN v.status = 'suppressed' THEN NULL ELSE v.denominator END AS denominator,
    CASE WHEN v.status = 'suppressed' THEN NULL ELSE v.value END AS value,
    v.status
FROM indicator_values AS v
JOIN areas AS a USING (area_id)
WHERE a.level = CAST($level AS VARCHAR)
ORDER BY v.indicator_id, v.year, v.area_id;
