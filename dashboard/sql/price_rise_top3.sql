-- The region's three biggest price rises (%), each item on its own latest survey day.
-- Produce is not surveyed on weekends and holidays while livestock is, so the top 3 of the
-- region's newest day alone (mart_price_rise_top3) would hold livestock only on a Saturday.
-- Here every item/kind/rank whose latest price lies in the 7 days ending the region's newest day
-- (latest_dt) competes with its change against its previous survey day at most 14 days before
-- (as _changes.retail_changes / top3 define it: change_pct 1 dp, ties by item_cd, kind_cd,
-- rank_cd). Only 21 days of the region are read (country_cd, res_dt index).
-- The newest day is ORDER BY … DESC NULLS FIRST LIMIT 1, not max(): DuckDB then reads only the
-- newest row groups (max() with a filter scans the whole history) and PostgreSQL walks its
-- (…, date) index backwards (NULLS FIRST is that index's order; IS NOT NULL keeps max()'s rows).
WITH recent AS (
    SELECT res_dt, country_cd, country_nm, category_cd, category_nm, item_cd, item_nm, kind_cd, kind_nm,
           rank_cd, rank_nm, unit, price,
           max(res_dt) OVER () AS latest_dt,
           row_number() OVER (PARTITION BY item_cd, kind_cd, rank_cd ORDER BY res_dt DESC) AS rn,
           lead(price) OVER (PARTITION BY item_cd, kind_cd, rank_cd ORDER BY res_dt DESC) AS prev_price,
           lead(res_dt) OVER (PARTITION BY item_cd, kind_cd, rank_cd ORDER BY res_dt DESC) AS prev_dt
    FROM mart_price_trend
    WHERE country_cd = :country_cd
      AND res_dt BETWEEN CAST((SELECT res_dt FROM mart_price_trend WHERE country_cd = :country_cd AND res_dt IS NOT NULL ORDER BY res_dt DESC NULLS FIRST LIMIT 1)
                              - INTERVAL 20 DAY AS DATE)
                     AND (SELECT res_dt FROM mart_price_trend WHERE country_cd = :country_cd AND res_dt IS NOT NULL ORDER BY res_dt DESC NULLS FIRST LIMIT 1)
),
changes AS (
    SELECT c.res_dt, c.latest_dt, c.country_cd, c.country_nm, c.category_cd, c.category_nm, c.item_cd,
           c.item_nm, c.kind_cd, c.kind_nm, c.rank_cd, c.rank_nm, c.unit, c.price,
           c.prev_price, c.prev_dt, c.price - c.prev_price AS change_pr,
           CAST(round(CAST(100.0 * (c.price - c.prev_price) / c.prev_price AS DECIMAL(18, 6)), 1) AS DOUBLE) AS change_pct
    FROM recent c
    WHERE c.rn = 1
      AND c.res_dt >= CAST(c.latest_dt - INTERVAL 6 DAY AS DATE)
      AND c.prev_dt >= CAST(c.res_dt - INTERVAL 14 DAY AS DATE)
      AND c.prev_price <> 0
      AND c.price > c.prev_price
),
ranked AS (
    SELECT changes.*,
           row_number() OVER (ORDER BY change_pct DESC, item_cd, kind_cd, rank_cd) AS rank_no
    FROM changes
)
SELECT res_dt, latest_dt, country_cd, country_nm, rank_no, category_cd, category_nm, item_cd, item_nm,
       kind_cd, kind_nm, rank_cd, rank_nm, unit, price, prev_price, prev_dt, change_pr, change_pct
FROM ranked
WHERE rank_no <= 3
ORDER BY rank_no
