-- The region's top-3 price drops on its latest survey day.
SELECT res_dt, country_cd, country_nm, rank_no, category_cd, category_nm, item_cd, item_nm, kind_cd, kind_nm,
       rank_cd, rank_nm, unit, price, prev_price, prev_dt, change_pr, change_pct
FROM mart_price_drop_top3
WHERE country_cd = :country_cd
  AND res_dt = (SELECT max(res_dt) FROM mart_price_drop_top3 WHERE country_cd = :country_cd)
ORDER BY rank_no
