-- Each item's latest 싸요 / 보통 / 비싸요 in the region, cheapest signals first.
-- Produce is not surveyed on weekends and holidays while livestock is, so "today" is each
-- item/kind/rank's own latest survey day within the 7 days ending the region's newest day, not
-- the table's newest day; latest_dt is that newest day (older rows read "금요일 조사 기준").
-- Only those 7 days of the region are read (country_cd, res_dt index).
-- The newest day is ORDER BY … DESC NULLS FIRST LIMIT 1, not max(): DuckDB then reads only the
-- newest row groups (max() with a filter scans the whole history) and PostgreSQL walks its
-- (…, date) index backwards (NULLS FIRST is that index's order; IS NOT NULL keeps max()'s rows).
WITH recent AS (
    SELECT res_dt, country_cd, country_nm, category_cd, category_nm, item_cd, item_nm, kind_cd, kind_nm,
           rank_cd, rank_nm, unit, price, percentile, price_index, trend_pct, signal_cd, signal_nm,
           reason_txt,
           max(res_dt) OVER () AS latest_dt,
           row_number() OVER (PARTITION BY item_cd, kind_cd, rank_cd ORDER BY res_dt DESC) AS rn
    FROM mart_buy_signal
    WHERE country_cd = :country_cd
      AND res_dt BETWEEN CAST((SELECT res_dt FROM mart_buy_signal WHERE country_cd = :country_cd AND res_dt IS NOT NULL ORDER BY res_dt DESC NULLS FIRST LIMIT 1)
                              - INTERVAL 6 DAY AS DATE)
                     AND (SELECT res_dt FROM mart_buy_signal WHERE country_cd = :country_cd AND res_dt IS NOT NULL ORDER BY res_dt DESC NULLS FIRST LIMIT 1)
)
SELECT res_dt, latest_dt, country_cd, country_nm, category_cd, category_nm, item_cd, item_nm, kind_cd,
       kind_nm, rank_cd, rank_nm, unit, price, percentile, price_index, trend_pct, signal_cd, signal_nm,
       reason_txt
FROM recent
WHERE rn = 1
ORDER BY CASE signal_cd WHEN 'cheap' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, percentile, item_cd, kind_cd, rank_cd
