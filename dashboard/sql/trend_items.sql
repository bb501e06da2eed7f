-- Item/kind/rank × region combinations with a price series (for the trend pickers).
SELECT item_cd, max(item_nm) AS item_nm, kind_cd, max(kind_nm) AS kind_nm, rank_cd, max(rank_nm) AS rank_nm,
       max(unit) AS unit, max(category_nm) AS category_nm, country_cd, max(country_nm) AS country_nm,
       min(res_dt) AS first_dt, max(res_dt) AS latest_dt
FROM mart_price_trend
GROUP BY item_cd, kind_cd, rank_cd, country_cd
ORDER BY max(category_cd), item_cd, kind_cd, rank_cd, country_cd
