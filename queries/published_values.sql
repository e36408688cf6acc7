-- The one view every question reads indicator values through (defence in depth
-- beside the published files, which carry no counts for suppressed cells): a cell
-- is suppressed when the folder says so or when its counts break the catalogue's
-- primary rule (suppression_thresholds, registered by the Store), and a suppressed
-- cell never leaves the database with a number. Statuses are those of
-- monitor/statuses.py; ``flag`` (p, r, s, "()") stands beside a number.
CREATE OR REPLACE VIEW published_values AS
WITH marked AS (
    SELECT
        v.*,
        v.status = 'suppressed'
        OR (v.numerator > 0 AND v.numerator < t.min_numerator)
        OR (v.denominator IS NOT NULL AND v.denominator < t.min_denominator)
            AS hidden
    FROM indicator_values AS v
    LEFT JOIN suppression_thresholds AS t USING (indicator_id)
)
SELECT
    area_id,
    indicator_id,
    year,
    CASE WHEN hidden THEN NULL ELSE numerator END AS numerator,
    CASE WHEN hidden THEN NULL ELSE denominator END AS denominator,
    CASE WHEN hidden THEN NULL ELSE value END AS value,
    CASE WHEN hidden THEN 'suppressed' ELSE status END AS status,
    CASE WHEN hidden THEN NULL ELSE flag END AS flag
FROM marked;
