-- In-season items on the latest day, with how many regions price them.
SELECT item_cd, max(item_nm) AS item_nm, kind_cd, max(kind_nm) AS kind_nm, rank_cd, max(rank_nm) AS rank_nm,
       max(unit) AS unit, max(category_nm) AS category_nm, max(season_nm) AS season_nm, max(month) AS month,
       count(DISTINCT country_cd) AS region_cnt, max(res_dt) AS res_dt
FROM mart_season_region_product
WHERE res_dt = (SELECT max(res_dt) FROM mart_season_region_product)
GROUP BY item_cd, kind_cd, rank_cd
ORDER BY max(category_cd), item_cd, kind_cd, rank_cd
