-- One item's mean market price per region against the national mean (latest day).
SELECT res_dt, country_cd, country_nm, latitude, longitude, category_nm, item_cd, item_nm, kind_cd, kind_nm,
       rank_cd, rank_nm, unit, price, market_cnt, national_avg_price, diff_pct, region_rank
FROM mart_retail_region_comparison
WHERE item_cd = :item_cd AND kind_cd = :kind_cd AND rank_cd = :rank_cd
  AND res_dt = (SELECT max(res_dt) FROM mart_retail_region_comparison)
ORDER BY region_rank, country_cd
