-- How many items rose / fell / stayed flat in the region, each on its own latest survey day.
-- Produce is not surveyed on weekends and holidays while livestock is, so the counts of the
-- region's newest day alone (mart_price_region_count) would hold livestock only on a Saturday.
-- Here every item/kind/rank whose latest price lies in the 7 days ending the region's newest day
-- (latest_dt) counts with its change against its previous survey day at most 14 days before
-- (as _changes.retail_changes defines it). stale_cnt items were last surveyed before latest_dt,
-- stale_dt is the newest such day. Only 21 days of the region are read (country_cd, res_dt index).
-- The newest day is ORDER BY … DESC NULLS FIRST LIMIT 1, not max(): DuckDB then reads only the
-- newest row groups (max() with a filter scans the whole history) and PostgreSQL walks its
-- (…, date) index backwards (NULLS FIRST is that index's order; IS NOT NULL keeps max()'s rows).
WITH recent AS (
    SELECT res_dt, country_cd, country_nm, item_cd, kind_cd, rank_cd, price,
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
    SELECT c.res_dt, c.latest_dt, c.country_cd, c.country_nm, c.price - c.prev_price AS change_pr
    FROM recent c
    WHERE c.rn = 1
      AND c.res_dt >= CAST(c.latest_dt - INTERVAL 6 DAY AS DATE)
      AND c.prev_dt >= CAST(c.res_dt - INTERVAL 14 DAY AS DATE)
)
SELECT max(c.latest_dt) AS res_dt, max(c.latest_dt) AS latest_dt, max(c.country_cd) AS country_cd,
       max(c.country_nm) AS country_nm,
       CAST(sum(CASE WHEN c.change_pr > 0 THEN 1 ELSE 0 END) AS INTEGER) AS up_cnt,
       CAST(sum(CASE WHEN c.change_pr < 0 THEN 1 ELSE 0 END) AS INTEGER) AS down_cnt,
       CAST(sum(CASE WHEN c.change_pr = 0 THEN 1 ELSE 0 END) AS INTEGER) AS flat_cnt,
       CAST(count(*) AS INTEGER) AS total_cnt,
       CAST(sum(CASE WHEN c.res_dt < c.latest_dt THEN 1 ELSE 0 END) AS INTEGER) AS stale_cnt,
       max(CASE WHEN c.res_dt < c.latest_dt THEN c.res_dt END) AS stale_dt
FROM changes c
HAVING count(*) > 0
