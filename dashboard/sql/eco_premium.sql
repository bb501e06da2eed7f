-- Eco vs conventional price per base unit in the region, latest week, biggest premium first.
-- The newest day is ORDER BY … DESC NULLS FIRST LIMIT 1, not max(): DuckDB then reads only the
-- newest row groups (max() with a filter scans the whole history) and PostgreSQL walks its
-- (…, date) index backwards (NULLS FIRST is that index's order; IS NOT NULL keeps max()'s rows).
SELECT week_start_dt, country_cd, country_nm, category_nm, item_cd, item_nm, kind_cd, kind_nm, eco_rank_cd,
       eco_rank_nm, concat(coalesce(item_nm, item_cd), ' ', coalesce(kind_nm, ''), ' · ', coalesce(eco_rank_nm, eco_rank_cd)) AS item_label,
       base_unit, eco_unit_price, conventional_unit_price, premium_pct, eco_obs_cnt, conventional_obs_cnt
FROM mart_eco_premium
WHERE country_cd = :country_cd
  AND week_start_dt = (SELECT week_start_dt FROM mart_eco_premium WHERE country_cd = :country_cd AND week_start_dt IS NOT NULL ORDER BY week_start_dt DESC NULLS FIRST LIMIT 1)
ORDER BY premium_pct DESC, item_cd, kind_cd
