-- Cheaper in-season substitutes of each 비싸요 item in one region (mart_substitutes, newest as-of
-- day), up to three per item in rank order.
-- The newest day is ORDER BY … DESC NULLS FIRST LIMIT 1, not max(): DuckDB then reads only the
-- newest row groups (max() with a filter scans the whole history) and PostgreSQL walks its
-- (…, date) index backwards (NULLS FIRST is that index's order; IS NOT NULL keeps max()'s rows).
SELECT as_of_dt, res_dt, country_cd, country_nm, item_cd, item_nm, kind_cd, kind_nm, rank_cd, rank_nm,
       unit, price, group_cd, group_nm, base_unit, unit_price, rank_no, sub_item_cd, sub_item_nm,
       sub_kind_cd, sub_kind_nm, sub_rank_cd, sub_rank_nm, sub_unit, sub_price, sub_unit_price,
       sub_signal_cd, sub_signal_nm, saving_pct
FROM mart_substitutes
WHERE country_cd = :country_cd
  AND as_of_dt = (SELECT as_of_dt FROM mart_substitutes WHERE country_cd = :country_cd AND as_of_dt IS NOT NULL ORDER BY as_of_dt DESC NULLS FIRST LIMIT 1)
ORDER BY item_cd, kind_cd, rank_cd, rank_no
