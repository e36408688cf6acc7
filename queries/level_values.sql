-- One indicator in one year for every area of one level (the map and its table).
-- Suppressed cells never leave the database with a number.
SELECT
    a.area_id,
    a.name,
    a.parent_id,
    a.in_focus,
    CASE WHEN v.status = 'suppressed' THEN NULL ELSE v.numerator END AS numerator,
    CASE WHEN v.status = 'suppressed' THEN NULL ELSE v.denominator END AS denominator,
    CASE WHEN v.status = 'suppressed' THEN NULL ELSE v.value END AS value,
    COALESCE(v.status, 'missing') AS status
FROM areas AS a
LEFT JOIN indicator_values AS v
    ON v.area_id = a.area_id
    AND v.indicator_id = CAST($indicator AS VARCHAR)
    AND v.year = CAST($year AS INTEGER)
WHERE a.level = CAST($level AS VARCHAR)
ORDER BY a.area_id;
