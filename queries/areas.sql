-- All areas without geometry: the lookup table for names, levels, parents and the
-- validation of area ids coming from links.
SELECT area_id, name, level, parent_id, in_focus, area_km2
FROM areas
ORDER BY area_id;
