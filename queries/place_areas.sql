-- The areas the place of the data folder is built from (monitor/place.py): every
-- level but the raster, and the raster cells inside a Perspektivquartier, with their
-- geometry (WKB) and the optional focus_id (which Perspektivquartier).
SELECT area_id, name, level, parent_id, in_focus, focus_id,
       ST_AsWKB(geometry) AS wkb
FROM areas
WHERE level <> 'raster' OR coalesce(in_focus, false)
ORDER BY area_id;
