-- Measures (Maßnahmen) of the programme with their output targets. Optional file.
SELECT
    measure_id,
    title,
    handlungsfeld,
    working_group,
    responsible,
    lead,
    CAST("start" AS DATE) AS "start",
    CAST("end" AS DATE) AS "end",
    status,
    CAST(budget_eur AS DOUBLE) AS budget_eur,
    output_indicator,
    output_unit,
    CAST(baseline_value AS DOUBLE) AS baseline_value,
    CAST(baseline_date AS DATE) AS baseline_date,
    CAST(target_value AS DOUBLE) AS target_value,
    CAST(target_date AS DATE) AS target_date,
    goal_ids,
    outcome_indicator_ids,
    area_id,
    CAST(lon AS DOUBLE) AS lon,
    CAST(lat AS DOUBLE) AS lat,
    source,
    comment
FROM measures
ORDER BY measure_id;
