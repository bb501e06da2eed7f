-- mart_volatility rebuilt in DuckDB: the SQL reference the Spark job's rebuild is timed against
-- (bench/bench_trailing.py). Same logic as spark_jobs/gold/mart_volatility.py: per retail series
-- (region × item/kind/rank × survey unit), the sample CV of the priced days in the 28 and 364
-- calendar days ending on res_dt. Reads the view `prices` (stg_daily_category_price rows).
WITH series AS (
    SELECT
        *,
        coalesce(
            nullif(trim(unit), ''),
            nullif(regexp_extract(kind_nm, '\(([0-9]+(?:\.[0-9]+)?\s*[^0-9\s()]+)\)\s*$', 1), ''),
            ''
        ) AS series_unit,
        CASE category_cd
            WHEN '100' THEN '식량작물' WHEN '200' THEN '채소류' WHEN '300' THEN '특용작물'
            WHEN '400' THEN '과일류' WHEN '500' THEN '축산물' WHEN '600' THEN '수산물'
        END AS category_nm
    FROM prices
    WHERE product_cls_cd = '01'
),
stats AS (
    SELECT
        *,
        avg(price) OVER w4 AS mean_4w,
        stddev_samp(price) OVER w4 AS sd_4w,
        count(price) OVER w4 AS obs_4w,
        avg(price) OVER w52 AS mean_52w,
        stddev_samp(price) OVER w52 AS sd_52w,
        count(price) OVER w52 AS obs_52w
    FROM series
    WINDOW
        w4 AS (
            PARTITION BY country_cd, item_cd, kind_cd, rank_cd, series_unit ORDER BY res_dt
            RANGE BETWEEN INTERVAL 27 DAYS PRECEDING AND CURRENT ROW
        ),
        w52 AS (
            PARTITION BY country_cd, item_cd, kind_cd, rank_cd, series_unit ORDER BY res_dt
            RANGE BETWEEN INTERVAL 363 DAYS PRECEDING AND CURRENT ROW
        )
)
SELECT
    res_dt, country_cd, country_nm, category_cd, category_nm, item_cd, item_nm, kind_cd, kind_nm,
    rank_cd, rank_nm, unit,
    CASE WHEN obs_4w >= 2 AND mean_4w > 0 THEN round(sd_4w / mean_4w * 100, 1) END AS cv_4w_pct,
    CASE WHEN obs_52w >= 2 AND mean_52w > 0 THEN round(sd_52w / mean_52w * 100, 1) END AS cv_52w_pct,
    obs_4w::INTEGER AS obs_4w,
    obs_52w::INTEGER AS obs_52w
FROM stats
