-- The area tree the disclosure audit used, as one digest (ids, levels, parents and
-- focus flags in id order).
SELECT md5(string_agg(
    concat_ws('|', area_id, level, coalesce(parent_id, ''), CAST(in_focus AS VARCHAR)),
    chr(10) ORDER BY area_id
)) AS digest
FROM areas;
