-- What the data folder holds, per level: areas, rows, years and suppressed share.
SELECT
    a.level,
    count(DISTINCT a.area_id) AS n_areas,
    count(*) AS n_values,
    min(v.year) AS first_year,
    max(v.year) AS last_year,
    avg(CASE WHEN v.status = 'suppressed' THEN 1.0 ELSE 0.0 END) AS suppressed_share
FROM published_values AS v
JOIN areas AS a USING (area_id)
GROUP BY a.level
ORDER BY min(CASE a.level WHEN 'stadt' THEN 0 WHEN 'fokusgebiet' THEN 1
    WHEN 'stadtteil' THEN 2 WHEN 'quartier' THEN 3 ELSE 4 END);
