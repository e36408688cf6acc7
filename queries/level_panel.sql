-- Every indicator and year for every area of one level (ranks in profiles, change
-- rankings), through the masking view published_values.
SELECT
    v.area_id, v.indicator_id, v.year, v.numerator, v.denominator, v.value, v.status,
    v.flag
FROM published_values AS v
JOIN areas AS a USING (area_id)
WHERE a.level = CAST($level AS VARCHAR)
ORDER BY v.indicator_id, v.year, v.area_id;
