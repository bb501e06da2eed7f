-- Latest week: per eco item its dearest store type against the cheapest one, biggest gap first.
WITH latest AS (
    SELECT *
    FROM mart_eco_price_by_store_type
    WHERE week_start_dt = (SELECT max(week_start_dt) FROM mart_eco_price_by_store_type) AND gap_pct IS NOT NULL
), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY item_cd, kind_cd, rank_cd ORDER BY gap_pct DESC, store_type_nm) AS rn
    FROM latest
)
SELECT week_start_dt, category_nm, item_cd, item_nm, kind_cd, kind_nm, rank_cd, rank_nm, unit, store_type_nm,
       avg_price, cheapest_store_type_nm, gap_pct
FROM ranked
WHERE rn = 1 AND gap_pct > 0
ORDER BY gap_pct DESC, item_cd
