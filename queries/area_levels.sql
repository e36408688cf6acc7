-- The levels the data folder has.
SELECT DISTINCT level
FROM areas
ORDER BY level;
