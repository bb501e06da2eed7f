-- One eco item's price per store type in the latest week.
SELECT week_start_dt, category_nm, item_cd, item_nm, kind_cd, kind_nm, rank_cd, rank_nm, unit, store_type_nm,
       avg_price, min_price, max_price, market_cnt, cheapest_store_type_nm, gap_pct
FROM mart_eco_price_by_store_type
WHERE item_cd = :item_cd AND kind_cd = :kind_cd AND rank_cd = :rank_cd
  AND week_start_dt = (SELECT max(week_start_dt) FROM mart_eco_price_by_store_type)
ORDER BY avg_price, store_type_nm
