-- Per category (all markets, country '0000', latest day): which channel is cheaper for more items.
-- Ties go to the channel with the lower mean gap; the card text reads the winner's name.
-- The newest day is ORDER BY … DESC NULLS FIRST LIMIT 1, not max(): DuckDB then reads only the
-- newest row groups (max() with a filter scans the whole history) and PostgreSQL walks its
-- (…, date) index backwards (NULLS FIRST is that index's order; IS NOT NULL keeps max()'s rows).
WITH latest AS (
    SELECT c.*
    FROM mart_retail_channel_comparison c
    WHERE c.country_cd = '0000' AND c.cheaper_channel_cd IS NOT NULL
      AND c.res_dt = (SELECT res_dt FROM mart_retail_channel_comparison WHERE country_cd = '0000' AND res_dt IS NOT NULL ORDER BY res_dt DESC NULLS FIRST LIMIT 1)
), per_category AS (
    SELECT max(res_dt) AS res_dt, category_cd, max(category_nm) AS category_nm, count(*) AS item_cnt,
           sum(CASE WHEN cheaper_channel_cd = 'large_retail' THEN 1 ELSE 0 END) AS large_cheaper_cnt,
           sum(CASE WHEN cheaper_channel_cd = 'traditional' THEN 1 ELSE 0 END) AS traditional_cheaper_cnt,
           avg(diff_pct) AS diff_pct
    FROM latest
    GROUP BY category_cd
)
SELECT res_dt, category_cd, category_nm, item_cnt, large_cheaper_cnt, traditional_cheaper_cnt, diff_pct,
       CASE WHEN large_cheaper_cnt > traditional_cheaper_cnt
              OR (large_cheaper_cnt = traditional_cheaper_cnt AND diff_pct < 0)
            THEN 'large_retail' ELSE 'traditional' END AS cheaper_channel_cd,
       CASE WHEN large_cheaper_cnt > traditional_cheaper_cnt
              OR (large_cheaper_cnt = traditional_cheaper_cnt AND diff_pct < 0)
            THEN '대형마트' ELSE '전통시장' END AS cheaper_channel_nm
FROM per_category
ORDER BY category_cd
