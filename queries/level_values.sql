-- One indicator in one year for every area of one level (the map and its table),
-- through the masking view published_values.
SELECT
    a.area_id,
    a.name,
    a.parent_id,
    a.in_focus,
    v.numerator,
    v.denominator,
    v.value,
    COALESCE(v.status, 'missing') AS status,
    v.flag
FROM areas AS a
LEFT JOIN published_values AS v
    ON v.area_id = a.area_id
    AND v.indicator_id = CAST($indicator AS VARCHAR)
    AND v.year = CAST($year AS INTEGER)
WHERE a.level = CAST($level AS VARCHAR)
ORDER BY a.area_id;
