-- One item's daily series in one region since :start_dt, with moving averages and the 평년 band.
SELECT t.res_dt, t.country_cd, t.country_nm, t.item_cd, t.item_nm, t.kind_cd, t.kind_nm, t.rank_cd, t.rank_nm,
       t.unit, t.price, t.ma7, t.ma28, t.mom_pct, t.yoy_pct,
       coalesce(b.normal_price, t.normal_price) AS normal_price, b.band_min, b.band_max
FROM mart_price_trend t
LEFT JOIN mart_price_normal_band b
  ON b.res_dt = t.res_dt AND b.country_cd = t.country_cd
 AND b.item_cd = t.item_cd AND b.kind_cd = t.kind_cd AND b.rank_cd = t.rank_cd
WHERE t.item_cd = :item_cd AND t.kind_cd = :kind_cd AND t.rank_cd = :rank_cd
  AND t.country_cd = :country_cd AND t.res_dt >= CAST(:start_dt AS DATE)
ORDER BY t.res_dt
