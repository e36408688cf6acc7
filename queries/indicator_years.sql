-- Which years hold data, per indicator and level (for year pickers and validation).
SELECT v.indicator_id, a.level, v.year, count(*) AS n_areas
FROM published_values AS v
JOIN areas AS a USING (area_id)
GROUP BY v.indicator_id, a.level, v.year
ORDER BY v.indicator_id, a.level, v.year;
