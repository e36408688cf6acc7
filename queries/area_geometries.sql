-- Geometry (WKB) of every area of one level, for maps.
SELECT area_id, ST_AsWKB(geometry) AS wkb
FROM areas
WHERE level = CAST($level AS VARCHAR)
ORDER BY area_id;
