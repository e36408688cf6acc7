-- Reference values (Landkreis, Saarland, Germany) for a set of indicators.
SELECT benchmark_id, name_de, name_en, indicator_id, year, value
FROM benchmarks
WHERE list_contains(CAST($indicator_ids AS VARCHAR[]), indicator_id)
ORDER BY benchmark_id, indicator_id, year;
