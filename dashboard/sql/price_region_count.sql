-- How many items rose / fell / stayed flat in the region on its latest survey day.
SELECT res_dt, country_cd, country_nm, up_cnt, down_cnt, flat_cnt, total_cnt
FROM mart_price_region_count
WHERE country_cd = :country_cd
  AND res_dt = (SELECT max(res_dt) FROM mart_price_region_count WHERE country_cd = :country_cd)
