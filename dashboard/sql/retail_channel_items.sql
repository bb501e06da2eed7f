-- Item-level large retail vs traditional market prices (all markets, latest day), biggest gaps first.
-- The newest day is ORDER BY … DESC NULLS FIRST LIMIT 1, not max(): DuckDB then reads only the
-- newest row groups (max() with a filter scans the whole history) and PostgreSQL walks its
-- (…, date) index backwards (NULLS FIRST is that index's order; IS NOT NULL keeps max()'s rows).
SELECT res_dt, category_cd, category_nm, item_cd, item_nm, kind_cd, kind_nm, rank_cd, rank_nm, unit,
       large_retail_price, large_retail_cnt, traditional_price, traditional_cnt, diff_pr, diff_pct,
       cheaper_channel_cd, cheaper_channel_nm
FROM mart_retail_channel_comparison
WHERE country_cd = '0000'
  AND res_dt = (SELECT res_dt FROM mart_retail_channel_comparison WHERE country_cd = '0000' AND res_dt IS NOT NULL ORDER BY res_dt DESC NULLS FIRST LIMIT 1)
ORDER BY abs(diff_pct) DESC NULLS LAST, item_cd, kind_cd, rank_cd
