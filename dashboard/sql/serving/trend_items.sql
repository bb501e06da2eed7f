-- trend_items on the DuckDB / PostgreSQL serving stores: the rows of ../trend_items.sql, computed
-- once per publish from the marts just published (spark_jobs/serving/derived.py); serving_ord is
-- each row's place in that query's ORDER BY.
SELECT item_cd, item_nm, kind_cd, kind_nm, rank_cd, rank_nm, unit, category_nm, country_cd, country_nm,
       first_dt, latest_dt
FROM serving_trend_items
ORDER BY serving_ord
