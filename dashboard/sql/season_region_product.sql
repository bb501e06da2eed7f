-- One in-season item's price in every region on the latest day (regions only, not 전국).
SELECT res_dt, month, season_nm, country_cd, country_nm, latitude, longitude, category_nm, item_cd, item_nm,
       kind_cd, kind_nm, rank_cd, rank_nm, unit, price, price_1y, yoy_pct, national_rank, region_cnt
FROM mart_season_region_product
WHERE item_cd = :item_cd AND kind_cd = :kind_cd AND rank_cd = :rank_cd AND country_cd <> '0000'
  AND res_dt = (SELECT max(res_dt) FROM mart_season_region_product)
ORDER BY national_rank, country_cd
