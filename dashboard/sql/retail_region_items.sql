-- Items with regional market prices on the latest day (for the channel tab's map picker).
SELECT item_cd, max(item_nm) AS item_nm, kind_cd, max(kind_nm) AS kind_nm, rank_cd, max(rank_nm) AS rank_nm,
       max(unit) AS unit, max(category_nm) AS category_nm, count(*) AS region_cnt
FROM mart_retail_region_comparison
WHERE res_dt = (SELECT max(res_dt) FROM mart_retail_region_comparison)
GROUP BY item_cd, kind_cd, rank_cd
ORDER BY max(category_cd), item_cd, kind_cd, rank_cd
