-- Infrastructure points for the map and the accessibility figures. Optional file.
SELECT
    point_id,
    category,
    name,
    address,
    CAST(lon AS DOUBLE) AS lon,
    CAST(lat AS DOUBLE) AS lat,
    CAST(opening_year AS INTEGER) AS opening_year,
    source
FROM points
ORDER BY category, point_id;
