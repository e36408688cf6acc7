-- Every indicator and year for a set of areas (profiles, headline figures, trends).
SELECT
    v.area_id,
    v.indicator_id,
    v.year,
    CASE WHEN v.status = 'suppressed' THEN NULL ELSE v.numerator END AS numerator,
    CASE WHEN v.status = 'suppressed' THEN NULL ELSE v.denominator END AS denominator,
    CASE WHEN v.status = 'suppressed' THEN NULL ELSE v.value END AS value,
    v.status
FROM indicator_values AS v
WHERE list_contains(CAST($area_ids AS VARCHAR[]), v.area_id)
ORDER BY v.area_id, v.indicator_id, v.year;
