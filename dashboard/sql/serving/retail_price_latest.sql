-- retail_price_latest on the DuckDB / PostgreSQL serving stores: the rows of
-- ../retail_price_latest.sql, computed once per publish from the marts just published
-- (spark_jobs/serving/derived.py); serving_ord is each row's place in that query's ORDER BY.
SELECT res_dt, country_cd, country_nm, channel_cd, channel_nm, category_cd, category_nm, item_cd, item_nm,
       kind_cd, kind_nm, rank_cd, rank_nm, unit, price, market_cnt
FROM serving_retail_price_latest
ORDER BY serving_ord
