-- The areas of one level in id order: the row order of every per-level answer.
SELECT area_id, name, parent_id, in_focus
FROM areas
WHERE level = CAST($level AS VARCHAR)
ORDER BY area_id;
