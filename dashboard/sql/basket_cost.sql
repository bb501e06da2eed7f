-- One standard basket's cost per region and channel on the latest day; complete baskets ranked first.
-- Incomplete cells (some lines unpriced: missing_txt) cost less only because lines are missing;
-- substitute_txt names the in-season kinds that stood in for out-of-season ones.
-- The newest day is ORDER BY … DESC NULLS FIRST LIMIT 1, not max(): DuckDB then reads only the
-- newest row groups (max() with a filter scans the whole history) and PostgreSQL walks its
-- (…, date) index backwards (NULLS FIRST is that index's order; IS NOT NULL keeps max()'s rows).
SELECT res_dt, basket_cd, basket_nm, country_cd, country_nm, channel_cd, channel_nm, total_cost, item_cnt,
       priced_item_cnt, cheapest_rank, is_cheapest, is_complete, substituted_item_cnt, missing_txt,
       substitute_txt
FROM mart_basket_cost
WHERE basket_cd = :basket_cd
  AND res_dt = (SELECT res_dt FROM mart_basket_cost WHERE basket_cd = :basket_cd AND res_dt IS NOT NULL ORDER BY res_dt DESC NULLS FIRST LIMIT 1)
ORDER BY CASE WHEN priced_item_cnt = item_cnt THEN 0 ELSE 1 END, cheapest_rank, total_cost, country_cd, channel_cd
