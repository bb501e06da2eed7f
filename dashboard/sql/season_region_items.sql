-- The chosen region's in-season items on the latest day, cheapest-ranked first.
SELECT res_dt, season_nm, country_cd, country_nm, category_nm, item_cd, item_nm, kind_cd, kind_nm, rank_cd,
       rank_nm, unit, price, yoy_pct, national_rank, region_cnt
FROM mart_season_region_product
WHERE country_cd = :country_cd
  AND res_dt = (SELECT max(res_dt) FROM mart_season_region_product)
ORDER BY national_rank, item_cd, kind_cd, rank_cd
