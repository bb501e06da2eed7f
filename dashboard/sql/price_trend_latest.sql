-- One item's latest row in one region: price, moving averages, MoM and YoY.
SELECT res_dt, country_cd, country_nm, item_cd, item_nm, kind_cd, kind_nm, rank_cd, rank_nm, unit,
       price, ma7, ma28, price_1m, mom_pct, price_1y, yoy_pct, normal_price
FROM mart_price_trend
WHERE item_cd = :item_cd AND kind_cd = :kind_cd AND rank_cd = :rank_cd AND country_cd = :country_cd
ORDER BY res_dt DESC
LIMIT 1
