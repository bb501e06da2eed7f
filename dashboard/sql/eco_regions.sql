-- Regions with eco premium figures in the latest week.
SELECT country_cd, max(country_nm) AS country_nm, count(*) AS item_cnt
FROM mart_eco_premium
WHERE week_start_dt = (SELECT max(week_start_dt) FROM mart_eco_premium)
GROUP BY country_cd
ORDER BY country_cd
