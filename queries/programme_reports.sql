-- Published progress reports of the measures (the app's own edits come from the
-- edit log, monitor/programme/log.py). Optional file.
SELECT
    report_id,
    measure_id,
    CAST(report_date AS DATE) AS report_date,
    CAST(value AS DOUBLE) AS value,
    status,
    comment,
    reported_by
FROM progress_reports
ORDER BY measure_id, report_date, report_id;
