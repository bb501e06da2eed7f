-- Eco items priced in the latest week.
SELECT item_cd, max(item_nm) AS item_nm, kind_cd, max(kind_nm) AS kind_nm, rank_cd, max(rank_nm) AS rank_nm,
       max(unit) AS unit, max(category_nm) AS category_nm, count(*) AS store_type_cnt
FROM mart_eco_price_by_store_type
WHERE week_start_dt = (SELECT max(week_start_dt) FROM mart_eco_price_by_store_type)
GROUP BY item_cd, kind_cd, rank_cd
ORDER BY max(category_cd), item_cd, kind_cd, rank_cd
