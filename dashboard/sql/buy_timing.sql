-- "지금 살까, 기다릴까" for one region (mart_buy_timing, newest as-of day): 기다려 보세요 first
-- (largest expected fall first), then 지금 사세요, then 보통.
-- The newest day is ORDER BY … DESC NULLS FIRST LIMIT 1, not max(): DuckDB then reads only the
-- newest row groups (max() with a filter scans the whole history) and PostgreSQL walks its
-- (…, date) index backwards (NULLS FIRST is that index's order; IS NOT NULL keeps max()'s rows).
SELECT as_of_dt, res_dt, country_cd, country_nm, category_cd, category_nm, item_cd, item_nm, kind_cd,
       kind_nm, rank_cd, rank_nm, unit, price, signal_cd, signal_nm, timing_cd, timing_nm,
       horizon_weeks, expected_price, expected_change_pct, lo_change_pct, hi_change_pct,
       backtest_mape_pct, reason_txt
FROM mart_buy_timing
WHERE country_cd = :country_cd
  AND as_of_dt = (SELECT as_of_dt FROM mart_buy_timing WHERE country_cd = :country_cd AND as_of_dt IS NOT NULL ORDER BY as_of_dt DESC NULLS FIRST LIMIT 1)
ORDER BY CASE timing_cd WHEN 'wait' THEN 1 WHEN 'buy_now' THEN 2 ELSE 3 END,
         coalesce(expected_change_pct, 0), item_cd, kind_cd, rank_cd
