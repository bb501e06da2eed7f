-- Every region × channel × item mean market price on the latest day (for the custom basket).
SELECT res_dt, country_cd, country_nm, channel_cd, channel_nm, category_cd, category_nm, item_cd, item_nm,
       kind_cd, kind_nm, rank_cd, rank_nm, unit, price, market_cnt
FROM mart_retail_price_latest
WHERE res_dt = (SELECT max(res_dt) FROM mart_retail_price_latest)
ORDER BY country_cd, channel_cd, item_cd, kind_cd, rank_cd
