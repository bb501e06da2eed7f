-- Item/kind/rank × region combinations priced in the mart's last 14 days (for the trend pickers).
-- Only those recent rows are grouped (res_dt index / zonemaps), not the whole history: an item
-- with no price for two weeks (out of season, no longer surveyed) leaves the picker. BETWEEN
-- (not >=) lets PostgreSQL estimate a narrow range, so it skips JIT and parallel workers.
-- first_dt is the first priced day within that window; latest_dt ends the period picker.
SELECT item_cd, max(item_nm) AS item_nm, kind_cd, max(kind_nm) AS kind_nm, rank_cd, max(rank_nm) AS rank_nm,
       max(unit) AS unit, max(category_nm) AS category_nm, country_cd, max(country_nm) AS country_nm,
       min(res_dt) AS first_dt, max(res_dt) AS latest_dt
FROM mart_price_trend
WHERE res_dt BETWEEN CAST((SELECT max(res_dt) FROM mart_price_trend) - INTERVAL 14 DAY AS DATE)
                 AND (SELECT max(res_dt) FROM mart_price_trend)
GROUP BY item_cd, kind_cd, rank_cd, country_cd
ORDER BY max(category_cd), item_cd, kind_cd, rank_cd, country_cd
