-- Regions with in-season prices on the latest day (for the region picker of the season map).
SELECT country_cd, max(country_nm) AS country_nm, count(*) AS item_cnt
FROM mart_season_region_product
WHERE res_dt = (SELECT max(res_dt) FROM mart_season_region_product) AND country_cd <> '0000'
GROUP BY country_cd
ORDER BY country_cd
