-- Goals of the programme's working groups (Ziele page). Optional file.
SELECT
    goal_id,
    title,
    working_group,
    working_group_name,
    handlungsfeld,
    indicator_id,
    area_id,
    direction,
    CAST(baseline_year AS INTEGER) AS baseline_year,
    CAST(baseline_value AS DOUBLE) AS baseline_value,
    CAST(target_year AS INTEGER) AS target_year,
    CAST(target_value AS DOUBLE) AS target_value,
    source
FROM goals
ORDER BY goal_id;
