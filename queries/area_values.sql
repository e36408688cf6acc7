-- Every indicator and year for a set of areas (profiles, headline figures, trends).
SELECT
    v.area_id, v.indicator_id, v.year, v.numerator, v.denominator, v.value, v.status,
    v.flag
FROM published_values AS v
WHERE list_contains(CAST($area_ids AS VARCHAR[]), v.area_id)
ORDER BY v.area_id, v.indicator_id, v.year;
