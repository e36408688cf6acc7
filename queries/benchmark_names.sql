-- Every reference region (benchmark) once, with its names, in the order of its first
-- row in benchmarks.parquet (the default order of the place, monitor/place.py).
SELECT benchmark_id, any_value(name_de) AS name_de, any_value(name_en) AS name_en
FROM (SELECT *, row_number() OVER () AS n FROM benchmarks)
GROUP BY benchmark_id
ORDER BY min(n);
