-- What the data folder holds, per level: areas, rows, years, suppressed share and
-- the typical cell width of a raster (m, from area_km2; NULL without it).
SELECT
    a.level,
    count(DISTINCT a.area_id) AS n_areas,
    count(*) AS n_values,
    min(v.year) AS first_year,
    max(v.year) AS last_year,
    avg(CASE WHEN v.status = 'suppressed' THEN 1.0 ELSE 0.0 END) AS suppressed_share,
    median(sqrt(a.area_km2) * 1000) AS cell_m
FROM published_values AS v
JOIN areas AS a USING (area_id)
GROUP BY a.level
ORDER BY min(CASE a.level WHEN 'stadt' THEN 0 WHEN 'fokusgebiet' THEN 1
    WHEN 'stadtteil' THEN 2 WHEN 'quartier' THEN 3 ELSE 4 END);
